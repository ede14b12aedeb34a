from django.urls import path

from . import views

app_name = "courses"
urlpatterns = [
    path("cursos/", views.catalogue, name="catalogue"),
    path("cursos/<int:course_id>/inscribirme/", views.enrol, name="enrol"),
    path("cursos/<int:course_id>/baja/", views.withdraw, name="withdraw"),
    path("actividades/<int:activity_id>/completar/", views.complete, name="complete"),
]
