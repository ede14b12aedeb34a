from django.urls import path

from . import rename_views, views
from .credentials import views as credential_views

app_name = "certificates"
urlpatterns = [
    path("verificar/", views.verify_form, name="verify_form"),
    path("verificar/<str:code>/", views.verify, name="verify"),
    path("mis-certificados/", views.my_certificates, name="mine"),
    path("mis-certificados/nombre/", rename_views.rename, name="rename"),
    path("mis-certificados/<str:code>/pdf/", views.download, name="download"),
    path(
        "mis-certificados/<str:code>/",
        credential_views.learner_certificate,
        name="learner_certificate",
    ),
    path(
        "mis-certificados/<str:code>/credencial/",
        credential_views.credential_download,
        name="credential_download",
    ),
    path("logros/<int:course_id>/", credential_views.achievement, name="achievement"),
    path(
        "credenciales/estado/<int:list_number>/",
        credential_views.status_list,
        name="credential_status_list",
    ),
    path("credenciales/verificar/", credential_views.credential_verify, name="credential_verify"),
    path(
        "credenciales/<uuid:credential_uuid>/",
        credential_views.credential_public,
        name="credential_public",
    ),
    path("gestion/", views.manage_index, name="manage"),
    path("gestion/curso/<int:course_id>/", views.manage_course, name="manage_course"),
    path("gestion/curso/<int:course_id>/emitir/", views.bulk_issue, name="bulk_issue"),
    path("gestion/curso/<int:course_id>/zip/", views.archive_request, name="archive_request"),
    path("gestion/lote/<int:batch_id>/", views.batch, name="batch"),
    path("gestion/zip/<int:archive_id>/", views.archive_download, name="archive_download"),
    path(
        "gestion/certificado/<int:certificate_id>/",
        views.manage_certificate,
        name="manage_certificate",
    ),
    path(
        "gestion/certificado/<int:certificate_id>/pdf/",
        views.manage_download,
        name="manage_download",
    ),
    path("gestion/certificado/<int:certificate_id>/revocar/", views.revoke, name="revoke"),
    path("gestion/certificado/<int:certificate_id>/reemitir/", views.reissue, name="reissue"),
    path(
        "gestion/certificado/<int:certificate_id>/restablecer/", views.reinstate, name="reinstate"
    ),
    path("gestion/certificado/<int:certificate_id>/reintentar/", views.retry, name="retry"),
]
