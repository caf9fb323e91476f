from django.db import migrations

from partnership.goodpractice.areas import load


def add_areas(apps, schema_editor):
    load(apps.get_model("goodpractice", "PracticeArea"))


class Migration(migrations.Migration):
    dependencies = [("goodpractice", "0001_initial")]

    operations = [migrations.RunPython(add_areas, migrations.RunPython.noop)]
