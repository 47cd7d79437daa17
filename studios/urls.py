from django.urls import path

from . import views

app_name = "studios"

urlpatterns = [
    path("studios/", views.studio_index, name="index"),
    path("studios/<slug:slug>/", views.studio_detail, name="detail"),
    path("craftsmen/<int:pk>/", views.craftsman_detail, name="craftsman"),
    path("achievements/", views.achievement_index, name="achievements"),
    path("achievements/<int:pk>/", views.achievement_detail, name="achievement"),
]
