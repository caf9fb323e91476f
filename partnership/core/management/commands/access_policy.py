from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from partnership.core.access import policy_table

START, END = "<!-- policy table: made by `manage.py access_policy --write` -->", "<!-- end of policy table -->"
DOC = Path(settings.BASE_DIR) / "docs" / "access-policy.md"


def with_table(text: str) -> str:
    """The access-policy document with its policy table replaced by the one the apps declare."""
    before, _, rest = text.partition(START)
    _, _, after = rest.partition(END)
    return f"{before}{START}\n{policy_table()}\n{END}{after}"


class Command(BaseCommand):
    help = "Print the written access policy assembled from every app's policy module (--write: into docs/)."

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        parser.add_argument("--write", action="store_true", help=f"Replace the table in {DOC.name}.")

    def handle(self, *args, write: bool, **options) -> None:  # type: ignore[no-untyped-def]
        if write:
            DOC.write_text(with_table(DOC.read_text()))
            self.stdout.write(f"Wrote the policy table into {DOC}.")
        else:
            self.stdout.write(policy_table())
