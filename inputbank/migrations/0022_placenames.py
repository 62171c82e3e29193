# The place-name register (Kartverket's Stedsnavn), imported offline by import_placenames.

import django.contrib.gis.db.models.fields
import django.contrib.postgres.indexes
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('inputbank', '0021_meetings'),
    ]

    operations = [
        migrations.CreateModel(
            name='PlaceName',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('stedsnummer', models.PositiveBigIntegerField(unique=True)),
                ('name', models.CharField(max_length=200, verbose_name='name')),
                ('name_type', models.CharField(blank=True, max_length=80, verbose_name='kind of place')),
                ('kommunenummer', models.CharField(blank=True, max_length=4)),
                ('search_text', models.CharField(editable=False, max_length=600)),
                ('geom', django.contrib.gis.db.models.fields.PointField(srid=25832)),
                ('imported_at', models.DateTimeField(auto_now=True)),
            ],
            options={
                'ordering': ['name', 'stedsnummer'],
                'indexes': [django.contrib.postgres.indexes.GinIndex(fields=['search_text'], name='placename_search_trgm', opclasses=['gin_trgm_ops'])],
            },
        ),
    ]
