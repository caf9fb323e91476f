from django.core.management.base import BaseCommand, CommandError

from partnership.core.errors import ApplicationError
from partnership.directory.gias import gias_import


class Command(BaseCommand):
    help = (
        "Create and update schools from a GIAS CSV extract, matching on URN. "
        "Prints each skipped row, each school imported without a malformed optional value (warning: ...) "
        "and a summary; a file that cannot be imported saves nothing."
    )

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        parser.add_argument("file", metavar="FILE", help="The GIAS extract (CSV, UTF-8 or Windows-1252).")
        parser.add_argument("--dry-run", action="store_true", help="Check the file and report, saving nothing.")

    def handle(self, *args, **options) -> None:  # type: ignore[no-untyped-def]
        path = options["file"]
        try:
            with open(path, "rb") as handle:
                report = gias_import(file=handle, actor=None, dry_run=options["dry_run"])
        except OSError as exc:
            raise CommandError(f"Cannot open {path}: {exc.strerror or exc}") from exc
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        for skipped in report.skipped:
            self.stdout.write(str(skipped))
        for warning in report.warnings:
            self.stdout.write(f"warning: {warning}")
        if report.dry_run:
            self.stdout.write("Dry run: nothing was saved.")
        self.stdout.write(report.summary())
