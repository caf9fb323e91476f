from django.db import migrations

from partnership.goodpractice.areas import SHIPPED_AREAS


def add_areas(apps, schema_editor):
    PracticeArea = apps.get_model("goodpractice", "PracticeArea")
    for order, (key, name, framework_keys) in enumerate(SHIPPED_AREAS, start=1):
        PracticeArea.objects.update_or_create(
            key=key, defaults={"name": name, "order": order * 10, "framework_keys": framework_keys}
        )


class Migration(migrations.Migration):
    dependencies = [("goodpractice", "0001_initial")]

    operations = [migrations.RunPython(add_areas, migrations.RunPython.noop)]
