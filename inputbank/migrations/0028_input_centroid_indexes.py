"""GiST indexes on the centroid of published and of pending input: matching a submission.

Submission asks for the published and the pending inputs whose centroids are nearest to the
new one (reads.argument_statements.nearest_statements), as the regrouping's grid always did.
Nearest by the geometry itself (input_published_geom, input_pending_geom), the scan rechecked
the exact distance of every route and area whose box held the point: ~10 ms per submission
at size M in the town centre, ~1 ms through these (docs/benchmarks.md, X2). The pending
geometry index was made for that query alone (0023) and goes; the published one stays for
the public questions. At size M the two builds take seconds (as 0023's).

With them, a partial index on the argument of published input: the resident's "said here
before: N voices" at submission counts an argument's published inputs, ~33 ms for the largest
argument at M through the argument index and the rows, ~3 ms from this index alone.
"""

import django.contrib.gis.db.models.functions
import django.contrib.postgres.indexes
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('inputbank', '0027_argument_answer'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='input',
            name='input_pending_geom',
        ),
        migrations.AddIndex(
            model_name='input',
            index=django.contrib.postgres.indexes.GistIndex(django.contrib.gis.db.models.functions.Centroid('geom'), condition=models.Q(('status', 'published')), name='input_published_centroid'),
        ),
        migrations.AddIndex(
            model_name='input',
            index=django.contrib.postgres.indexes.GistIndex(django.contrib.gis.db.models.functions.Centroid('geom'), condition=models.Q(('status', 'pending')), name='input_pending_centroid'),
        ),
        migrations.AddIndex(
            model_name='input',
            index=models.Index(condition=models.Q(('status', 'published')), fields=['argument'], name='input_published_argument'),
        ),
    ]
