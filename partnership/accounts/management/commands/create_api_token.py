from django.core.management.base import BaseCommand, CommandError

from partnership.accounts.models import User
from partnership.accounts.services import api_token_create


class Command(BaseCommand):
    help = "Create an API token for a person and print it once. Usage: create_api_token EMAIL [--name NAME]"

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        parser.add_argument("email")
        parser.add_argument("--name", default="API token")

    def handle(self, *args, email: str, name: str, **options) -> None:  # type: ignore[no-untyped-def]
        user = User.objects.filter(email=email.strip().lower(), is_active=True).first()
        if user is None:
            raise CommandError(f"No active account for {email}.")
        _, raw = api_token_create(user=user, name=name)
        self.stdout.write(raw)
