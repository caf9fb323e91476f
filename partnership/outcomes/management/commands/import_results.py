from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import pluralize

from partnership.core.uploads import size_label
from partnership.directory.models import School
from partnership.outcomes.imports import MAX_BYTES, ImportRejectedError, result_import


class Command(BaseCommand):
    help = (
        "Import pupils and their statutory results for one school from the CSV template or a CTF "
        "(detected from the content). Checks the whole file first: a file with any problem saves nothing. "
        "Prints what was skipped, how the file was read (note: ...) and what looks wrong (warning: ...). "
        "Ends with a summary line: imported P pupils, R results, S skipped."
    )

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        parser.add_argument("--school", required=True, metavar="URN", help="The school's URN.")
        parser.add_argument("file", metavar="FILE", help="The CSV (template columns) or CTF XML file.")
        parser.add_argument("--dry-run", action="store_true", help="Check the file and report, saving nothing.")

    def handle(self, *args, **options) -> None:  # type: ignore[no-untyped-def]
        urn, path = options["school"], options["file"]
        school = School.objects.filter(urn=urn).first()
        if school is None:
            raise CommandError(f"No school has URN {urn}.")
        try:
            with open(path, "rb") as handle:
                data = handle.read(MAX_BYTES + 1)
        except OSError as exc:
            raise CommandError(f"Cannot open {path}: {exc.strerror or exc}") from exc
        if len(data) > MAX_BYTES:
            raise CommandError(f"The file is larger than {size_label(MAX_BYTES)}, the most that can be imported.")
        try:
            report = result_import(
                school=school, data=data, filename=path.rsplit("/", 1)[-1], actor=None, dry_run=options["dry_run"]
            )
        except ImportRejectedError as exc:
            for problem in exc.report.problems:
                self.stderr.write(str(problem))
            hidden = exc.report.problem_count - len(exc.report.problems)
            if hidden > 0:
                self.stderr.write(f"... and {hidden} more problem{pluralize(hidden)}")
            raise CommandError(exc.message) from exc
        for skipped in report.skipped:
            self.stdout.write(f"skipped: {skipped}")
        for note in report.notes:
            self.stdout.write(f"note: {note}")
        for warning in report.warnings:
            self.stdout.write(f"warning: {warning}")
        self.stdout.write(report.details())
        if report.dry_run:
            self.stdout.write("Dry run: nothing was saved.")
        self.stdout.write(report.summary())
