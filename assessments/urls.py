from django.urls import path

from lms.replica import replica_reads

from . import views

app_name = "assessments"
urlpatterns = [
    path("cuestionarios/<int:quiz_id>/iniciar/", views.attempt_start, name="attempt_start"),
    path("cuestionarios/<int:quiz_id>/resultados/", views.quiz_results, name="quiz_results"),
    path("intentos/<int:attempt_id>/", views.attempt_take, name="attempt"),
    path("intentos/<int:attempt_id>/guardar/", views.attempt_autosave, name="attempt_autosave"),
    path("intentos/<int:attempt_id>/revision/", views.attempt_review, name="attempt_review"),
    path("calificar/", views.grading_queue, name="grading_queue"),
    path("calificar/<int:attempt_id>/", views.grade_attempt, name="grade_attempt"),
    path("encuestas/", views.survey_list, name="survey_list"),
    path("encuestas/<int:survey_id>/responder/", views.survey_answer, name="survey_answer"),
    path(
        "encuestas/<int:survey_id>/resultados/",
        replica_reads(views.survey_results),
        name="survey_results",
    ),
    path(
        "encuestas/<int:survey_id>/resultados.csv",
        replica_reads(views.survey_results_csv),
        name="survey_results_csv",
    ),
    path("encuestas/<int:survey_id>/recordatorio/", views.survey_remind, name="survey_remind"),
]
