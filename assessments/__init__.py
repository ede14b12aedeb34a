"""Assessments: the question bank, quizzes (graded, pre- and post-tests) and surveys.

- `gift` (parser, exporter) and `grading` (graders over question snapshots) are pure modules.
- `models`: bank snippets (`bank`), `QuizPage`/`SurveyPage` activities (`pages`), learner state
  (`state`: Attempt, SurveyParticipation, SurveyResponse, SurveyReminder).
- `services` write (start/save/submit attempts, essay marks, survey answers, GIFT import);
  `selectors` read, scoped to the person asking; `quiz_results_for` is the contract reports uses.
"""
