from django.urls import path

from . import views

app_name = "workshops"
urlpatterns = [
    path("sesiones/", views.staff_sessions, name="staff_sessions"),
    path("sesiones/<int:session_id>/inscribirme/", views.register, name="register"),
    path("sesiones/<int:session_id>/cancelar/", views.cancel, name="cancel"),
    path("sesiones/<int:session_id>/evento.ics", views.session_calendar, name="session_ics"),
    path("sesiones/<int:session_id>/cancelar-sesion/", views.session_cancel, name="session_cancel"),
    path("sesiones/<int:session_id>/materiales/", views.material_upload, name="material_upload"),
    path("materiales/<int:material_id>/", views.material_download, name="material_download"),
    path("materiales/<int:material_id>/borrar/", views.material_remove, name="material_delete"),
    path("sesiones/<int:session_id>/asistencia/", views.attendance, name="attendance"),
    path("sesiones/<int:session_id>/asistencia.csv", views.attendance_csv, name="attendance_csv"),
    path("sesiones/<int:session_id>/hoja-de-firmas.pdf", views.signin_sheet, name="signin_sheet"),
    path("sesiones/<int:session_id>/codigo/", views.checkin_display, name="checkin_display"),
    path("sesiones/<int:session_id>/registrar-asistencia/", views.checkin_view, name="checkin"),
    path("calendario/", views.calendar_settings, name="calendar"),
    path("calendario/restablecer/", views.calendar_reset, name="calendar_reset"),
    path("calendario/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
]
