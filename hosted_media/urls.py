from django.urls import path

from . import views

urlpatterns = [
    path(
        "<int:media_id>/<slug:variant>/<str:filename>",
        views.media_file,
        name="hosted_media_file",
    ),
]
