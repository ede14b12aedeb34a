from django.urls import path

from lms.replica import replica_reads

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("cohortes/<int:cohort_id>/", replica_reads(views.cohort_dashboard), name="cohort"),
    path("cohortes/<int:cohort_id>/recordatorio/", views.cohort_remind, name="cohort_remind"),
    path(
        "cohortes/<int:cohort_id>/exportar/<slug:kind>.<slug:fmt>",
        replica_reads(views.cohort_export),
        name="cohort_export",
    ),
    path(
        "programas/<int:programme_id>/", replica_reads(views.programme_overview), name="programme"
    ),
    path(
        "programas/<int:programme_id>/exportar/<slug:table>.<slug:fmt>",
        replica_reads(views.programme_export),
        name="programme_export",
    ),
]
