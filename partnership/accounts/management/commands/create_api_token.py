from django.core.management.base import BaseCommand, CommandError

from partnership.accounts.models import User
from partnership.accounts.services import api_token_create
from partnership.core.errors import ApplicationError


class Command(BaseCommand):
    help = "Create an API token for a person and print it once. Usage: create_api_token EMAIL [--name NAME] [--days N]"

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        parser.add_argument("email")
        parser.add_argument("--name", default="API token")
        parser.add_argument("--days", type=int, default=None, help="Days the key works (default: the maximum).")

    def handle(self, *args, email: str, name: str, days: int | None, **options) -> None:  # type: ignore[no-untyped-def]
        user = User.objects.filter(email=email.strip().lower(), is_active=True).first()
        if user is None:
            raise CommandError(f"No active account for {email}.")
        try:
            token, raw = api_token_create(user=user, name=name, lifetime_days=days)
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(raw)
        self.stderr.write(f"Expires {token.expires_at:%d %B %Y}.")
