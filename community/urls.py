from django.urls import path

from . import account_views, views

app_name = "community"
urlpatterns = [
    path("", views.index, name="index"),
    path("codigo/", views.code, name="code"),
    path("moderacion/", views.queue, name="queue"),
    path("espacios/<int:space_id>/", views.space, name="space"),
    path("espacios/<int:space_id>/nuevo/", views.thread_new, name="thread_new"),
    path("hilos/<int:thread_id>/", views.thread, name="thread"),
    path("hilos/<int:thread_id>/responder/", views.reply, name="reply"),
    path("hilos/<int:thread_id>/moderar/", views.thread_flags, name="thread_flags"),
    path("mensajes/<int:post_id>/editar/", views.edit, name="edit"),
    path("mensajes/<int:post_id>/reportar/", views.report, name="report"),
    path("mensajes/<int:post_id>/ocultar/", views.hide, name="hide"),
    path("mensajes/<int:post_id>/restablecer/", views.restore, name="restore"),
    path("mensajes/<int:post_id>/descartar/", views.dismiss, name="dismiss"),
    path("mensajes/<int:post_id>/adjunto/", views.attachment, name="attachment"),
    path("preferencias/", account_views.preferences, name="preferences"),
    path("directorio/", account_views.directory, name="directory"),
    path("directorio/mi-organizacion/", account_views.profile_edit, name="profile_edit"),
]
