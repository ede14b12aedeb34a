from django.urls import path

from . import views

app_name = "privacy"
urlpatterns = [
    path("aviso/", views.notice, name="notice"),
    path("aviso/aceptar/", views.accept_notice, name="accept_notice"),
    path("confirmar/<str:token>/", views.confirm_email, name="confirm_email"),
    path("confirmar-de-nuevo/", views.resend_confirmation, name="resend_confirmation"),
    path("mis-datos/", views.my_data, name="my_data"),
    path("mis-datos/descarga/", views.export_request, name="export_request"),
    path("mis-datos/descarga/<int:export_id>/", views.export_status, name="export_status"),
    path(
        "mis-datos/descarga/<int:export_id>/archivo/", views.export_download, name="export_download"
    ),
    path("mis-datos/cancelacion/", views.deletion_request, name="deletion_request"),
    path("mis-datos/cancelacion/anular/", views.deletion_cancel, name="deletion_cancel"),
    path("cancelacion/<str:token>/", views.confirm_deletion, name="confirm_deletion"),
    path("mensajes/", views.preferences, name="preferences"),
    path("baja/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("baja/<str:token>/un-clic/", views.unsubscribe_one_click, name="unsubscribe_one_click"),
    path("sesiones/", views.sessions, name="sessions"),
    path("consentimiento/<int:page_id>/", views.consent, name="consent"),
    path("consentimiento/<int:page_id>/retirar/", views.consent_withdraw, name="consent_withdraw"),
    path("registro-de-accesos/", views.audit_log, name="audit_log"),
]
