"""A GiST index on (status, geom) for published input: public map, list and prior-input queries.

Why (status, geom) and btree_gist rather than a partial geometry index: with the status outside
the index, PostgreSQL ANDs the geometry index with the status b-tree and reads ~990 000 entries
at M for every box. btree_gist is a trusted extension: the database owner may create it.
"""

import django.contrib.postgres.indexes
from django.contrib.postgres.operations import BtreeGistExtension
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("inputbank", "0006_gis_tile_grid"),
    ]

    operations = [
        BtreeGistExtension(),
        migrations.AddIndex(
            model_name="input",
            index=django.contrib.postgres.indexes.GistIndex(
                condition=models.Q(("status", "published")),
                fields=["status", "geom"],
                name="input_published_geom",
            ),
        ),
    ]
