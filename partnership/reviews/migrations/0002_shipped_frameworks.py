from django.db import migrations


def load_shipped(apps, schema_editor):
    from partnership.reviews import shipped

    shipped.load(apps.get_model("reviews", "Framework"), apps.get_model("reviews", "FrameworkArea"), apps.get_model("reviews", "Grade"))


class Migration(migrations.Migration):
    dependencies = [("reviews", "0001_initial")]

    operations = [migrations.RunPython(load_shipped, migrations.RunPython.noop)]
