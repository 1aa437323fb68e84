"""Created the trainee and curator groups. Groups are now kept by core.roles: after every `migrate`, each group
is given exactly the permissions its row of the roles table names (core.apps), so this
migration no longer does anything itself."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0002_seed_marker_catalogue"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)]
