from django.urls import path

from . import views

app_name = "problems"

urlpatterns = [
    path("problems/", views.board, name="board"),
    path("problems/<int:pk>/", views.detail, name="detail"),
]
