import os

from django.core.management.base import BaseCommand

from partnership.directory.demo import load_demo
from partnership.meetings.demo import load_meetings_demo
from partnership.outcomes.demo import load_outcomes_demo
from partnership.plans.demo import load_plans_demo


class Command(BaseCommand):
    help = "Load the demo partnerships, schools and people (idempotent). Password from DEMO_PASSWORD."

    def handle(self, *args, **options) -> None:  # type: ignore[no-untyped-def]
        password = os.environ.get("DEMO_PASSWORD") or "partnership-demo-2026"
        result = load_demo(password)
        plans = load_plans_demo()
        meetings = load_meetings_demo()
        outcomes = load_outcomes_demo()
        self.stdout.write(
            f"Demo data ready ({result.created} directory records, {plans} plans, {meetings} meetings created, "
            f"{outcomes} schools given pupils and results)."
        )
        self.stdout.write("")
        self.stdout.write(f"Demo sign-ins (password: {password}):")
        for email, label in result.accounts:
            self.stdout.write(f"  {email:<48} {label}")
        self.stdout.write("  Every demo school has head., deputy., senco., dsl., sbm., teacher., governor. accounts.")
