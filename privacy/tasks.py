import logging

from celery import Task, shared_task

logger = logging.getLogger(__name__)


@shared_task(bind=True, max_retries=3, default_retry_delay=30)
def build_data_export(self: Task, export_id: int) -> None:
    from .export import data_export_build

    data_export_build(export_id=export_id)


@shared_task
def apply_retention() -> dict:
    """Daily: carry out due deletion requests and the retention settings; logs what was removed."""
    from .erasure import retention_apply

    removed = retention_apply()
    logger.info("retention run removed %s", removed)
    return removed
