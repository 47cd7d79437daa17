from django.urls import path

from . import feeds, views

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
    path(
        "sessions/<int:pk>/certificates/<int:registration_pk>/",
        views.certificate,
        name="certificate",
    ),
    path("problems/<int:problem_pk>/volunteer/", views.volunteer, name="volunteer"),
    # calendars: a person's private feed (the token is the secret), an
    # alliance's public one
    path("sessions/calendar/<str:token>.ics", feeds.private_feed, name="private_feed"),
    path(
        "sessions/alliance/<int:alliance_pk>.ics",
        feeds.alliance_feed,
        name="alliance_feed",
    ),
    path("sessions/calendar/reset/", feeds.reset_feed, name="reset_feed"),
]
