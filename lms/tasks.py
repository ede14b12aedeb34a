from celery import shared_task
from django.core.cache import cache


@shared_task
def ping(token: str) -> str:
    """Health check: proves a task travelled through the broker to a worker and ran there."""
    cache.set(f"celery-ping:{token}", "pong", timeout=300)
    return "pong"
