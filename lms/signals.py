"""Events the people app announces; higher apps receive them in their handlers.py."""

from django.dispatch import Signal

# kwargs: cohort, user. Sent inside the transaction that adds the membership.
cohort_member_added = Signal()
# kwargs: cohort, user. Sent inside the transaction that removes the membership.
cohort_member_removed = Signal()
