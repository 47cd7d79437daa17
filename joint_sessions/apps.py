from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JointSessionsConfig(AppConfig):
    name = "joint_sessions"
    label = "joint_sessions"  # never "sessions": django.contrib.sessions has it
    verbose_name = _("Joint problem-solving sessions")
