from django.urls import path

from . import views

app_name = "joint_sessions"

urlpatterns = [
    path("sessions/", views.session_list, name="list"),
    path("sessions/new/", views.new, name="new"),
    path("sessions/<int:pk>/", views.detail, name="detail"),
    path("sessions/<int:pk>/sign-up/", views.sign_up, name="sign_up"),
    path("sessions/<int:pk>/cancel/", views.cancel, name="cancel"),
    path("sessions/<int:pk>/accept/", views.accept_offer, name="accept_offer"),
    path("sessions/<int:pk>/meeting-link/", views.meeting_link, name="meeting_link"),
    path("sessions/<int:pk>/organise/", views.organise, name="organise"),
    path("sessions/<int:pk>/check-in/", views.check_in, name="check_in"),
    path("sessions/<int:pk>/invite/", views.invite, name="invite"),
    path("sessions/<int:pk>/act/<slug:action>/", views.act, name="act"),
    path("problems/<int:problem_pk>/volunteer/", views.volunteer, name="volunteer"),
]
