"""Events the courses app announces. Receivers live in the higher apps' handlers.py.

Both are sent inside the transaction that made the change, so a receiver's writes commit or
roll back with it; work that must happen after commit is queued with `transaction.on_commit`.
"""

from django.dispatch import Signal

# kwargs: progress (ActivityProgress), user, activity (specific page)
activity_completed = Signal()
# kwargs: enrolment (Enrolment), user, course (CoursePage). Sent exactly once per enrolment.
course_completed = Signal()
# kwargs: enrolment (Enrolment), user, course (CoursePage). Sent when an active enrolment is
# withdrawn.
enrolment_withdrawn = Signal()
