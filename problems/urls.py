from django.urls import path

from . import views

app_name = "problems"

urlpatterns = [
    path("problems/", views.board, name="board"),
    path("problems/new/", views.new, name="new"),
    path("problems/overdue/", views.overdue, name="overdue"),
    path("problems/results/", views.results, name="results"),
    path("problems/<int:pk>/", views.detail, name="detail"),
    path("problems/<int:pk>/edit/", views.edit, name="edit"),
    path("problems/<int:pk>/act/<slug:action>/", views.act, name="act"),
    path("problems/<int:pk>/rematch/", views.rematch, name="rematch"),
    path(
        "problems/<int:pk>/attachments/<int:attachment_id>/",
        views.download,
        name="download",
    ),
]
