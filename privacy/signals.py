"""Events the privacy app announces; higher apps receive them in their handlers.py."""

from django.dispatch import Signal

# kwargs: user. Sent inside the transaction that confirms a self-registered address.
email_confirmed = Signal()
