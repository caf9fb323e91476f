from django.core.management.base import BaseCommand

from partnership.meetings.tasks import send_due_reminders


class Command(BaseCommand):
    help = (
        "Email the reminder for every scheduled meeting that starts within the next two days and "
        "has not been reminded yet for its current version. Safe to run as often as you like: no "
        "reminder is sent twice. The demo runs it at start; with Redis, Celery beat runs it for you."
    )

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        parser.add_argument(
            "--base-url",
            default="",
            help="Where the site is, for the links in the emails (default: the SITE_URL setting).",
        )

    def handle(self, *args, **options) -> None:  # type: ignore[no-untyped-def]
        results = send_due_reminders(base_url=options["base_url"])
        sent = sum(1 for result in results.values() if result.startswith("sent"))
        others = len(results) - sent
        self.stdout.write(f"Meeting reminders: {sent} sent, {others} already sent or not needed.")
