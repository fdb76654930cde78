"""Celery beat jobs of the index: thin wrappers over parindex.services.deadlines."""

from celery import shared_task

from parindex.services import deadlines


@shared_task(name="parindex.tasks.deadlines_enforce")
def deadlines_enforce():
    run = deadlines.deadlines_enforce()
    return {"locked": run.locked}


@shared_task(name="parindex.tasks.deadline_reminders_send")
def deadline_reminders_send():
    run = deadlines.deadline_reminders_send()
    return {"reminded": run.reminded, "mails": run.mails, "failed": run.failed}
