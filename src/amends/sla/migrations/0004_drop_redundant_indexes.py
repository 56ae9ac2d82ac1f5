"""Drop foreign-key indexes that a composite index already begins with. Every index is one more
page to write for each row inserted. Dropped by name, so SQLite does not rebuild the table."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0005_drop_redundant_indexes"),
        ("sla", "0003_caseclock_due_at_alter_servicelevelpolicy_unit"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="caseclock",
                    name="case",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="clocks",
                        to="cases.case",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "sla_caseclock_case_id_f9a9dad7"',
                    reverse_sql='CREATE INDEX "sla_caseclock_case_id_f9a9dad7" ON "sla_caseclock" ("case_id")',
                ),
            ],
        ),
    ]
