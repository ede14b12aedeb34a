from celery import shared_task
from django.core.cache import cache
from django.db import connection


@shared_task
def ping(token: str) -> dict:
    """Health check: proves a task travelled through the broker to a worker, which reached the
    database; records which database session answered (PostgreSQL's backend pid)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_backend_pid()" if connection.vendor == "postgresql" else "SELECT 0"
        )
        session = cursor.fetchone()[0]
    answer = {"pong": True, "database_session": session}
    cache.set(f"celery-ping:{token}", answer, timeout=300)
    return answer
