"""A GiST index on (status, geom) for pending input: matching a submission into arguments.

Submission asks for the nearest published and the nearest pending inputs (issue 13,
reads.arguments.nearest_statements). Published ones have input_published_geom (0007); without
an index of their own the pending ones were found by walking the whole-table geometry index
nearest-first past every published neighbour. Pending input is a small part of the bank, so
the partial index is small. CONCURRENTLY would need a non-atomic migration; at size M the
build takes seconds (a short lock on a table written at human pace).
"""

import django.contrib.postgres.indexes
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("inputbank", "0022_placenames"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="input",
            index=django.contrib.postgres.indexes.GistIndex(
                condition=models.Q(("status", "pending")),
                fields=["status", "geom"],
                name="input_pending_geom",
            ),
        ),
    ]
