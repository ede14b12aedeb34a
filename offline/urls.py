from django.urls import path

from . import views

app_name = "offline"
urlpatterns = [
    # At the root: a service worker controls only the paths under its own.
    path("sw.js", views.service_worker, name="service_worker"),
    path("manifest.webmanifest", views.web_manifest, name="web_manifest"),
    path("sin-conexion/", views.status, name="status"),
    path("sin-conexion/token/", views.token, name="token"),
    path("sin-conexion/enviar/", views.sync, name="sync"),
    path("sin-conexion/cursos/<int:course_id>/", views.course_package, name="course_package"),
    path("sin-conexion/cuestionarios/<int:quiz_id>/", views.quiz_package, name="quiz_package"),
    path("sin-conexion/encuestas/<int:survey_id>/", views.survey_package, name="survey_package"),
]
