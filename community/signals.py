from django.dispatch import Signal

# Sent inside the transaction that saved the post; receivers queue work with on_commit.
post_created = Signal()  # post
post_hidden = Signal()  # post
