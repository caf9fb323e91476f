"""Load the shipped national comparators (`outcomes/data/national_figures.csv`).

Idempotent (update_or_create on measure, year and statistic), so running the loader again changes
nothing; reversing is a no-op because administrators may have added or corrected figures since.
"""

import csv
from decimal import Decimal
from pathlib import Path

from django.db import migrations

CSV_PATH = Path(__file__).resolve().parent.parent / "data" / "national_figures.csv"


def load_national_figures(apps, schema_editor):
    NationalFigure = apps.get_model("outcomes", "NationalFigure")
    with CSV_PATH.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            NationalFigure.objects.update_or_create(
                measure=row["measure"],
                academic_year=int(row["academic_year"]),
                statistic=row["statistic"],
                defaults={"value": Decimal(row["value"]), "source": row["source"]},
            )


class Migration(migrations.Migration):
    dependencies = [
        ("outcomes", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(load_national_figures, migrations.RunPython.noop),
    ]
