import os

from django.core.management.base import BaseCommand
from django.test.utils import override_settings
from django.utils import timezone

from partnership.core.registry import DEMO_LOADERS


class Command(BaseCommand):
    help = "Load the demo data every app declares (idempotent). Password from DEMO_PASSWORD."

    def handle(self, *args, **options) -> None:  # type: ignore[no-untyped-def]
        password = os.environ.get("DEMO_PASSWORD") or "partnership-demo-2026"
        today = timezone.localdate()  # one day for every loader: the demo's dates all follow it
        # The demo's people are fictional (@demo.example): scheduling their meetings emails nobody.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            outcomes = [loader.load(password, today) for loader in DEMO_LOADERS]
        self.stdout.write(f"Demo data ready ({', '.join(o.summary for o in outcomes)}).")
        self.stdout.write("")
        self.stdout.write(f"Demo sign-ins (password: {password}):")
        for outcome in outcomes:
            for email, label in outcome.accounts:
                self.stdout.write(f"  {email:<48} {label}")
        for outcome in outcomes:
            if outcome.note:
                self.stdout.write(f"  {outcome.note}")
