"""The matcher's tokens stored on the input row (issue 13: matching at submission ≤ 50 ms).

Submission compares a new input with up to 600 nearby ones; tokenising their texts was about
half of its time. The tokens are now written when an input is matched (submission, import,
``match_arguments``) with a key made of the lexicon's fingerprint and the wording
(``matching.text.token_key``); the reads use them only when the key still matches, so an
edited text or a changed lexicon never gives stale tokens. The backfill tokenises the bank
in batches of 5 000 (at size M some minutes; reads work without it, only slower).
"""

import django.contrib.postgres.fields
from django.db import migrations, models

BATCH = 5_000


def backfill(apps, schema_editor):
    from inputbank.matching.text import token_key, tokens

    table = apps.get_model("inputbank", "Input")._meta.db_table
    last = 0
    with schema_editor.connection.cursor() as cursor:
        while True:
            cursor.execute(
                f"""SELECT id, COALESCE(NULLIF(public_text, ''), text) FROM "{table}"
                    WHERE id > %s ORDER BY id LIMIT %s""",
                [last, BATCH],
            )
            rows = cursor.fetchall()
            if not rows:
                return
            cursor.execute(
                f"""UPDATE "{table}" i SET match_key = v.k::uuid,
                        match_tokens = string_to_array(v.t, ' ')
                    FROM unnest(%s::bigint[], %s::text[], %s::text[]) AS v(id, k, t)
                    WHERE i.id = v.id""",
                [
                    [pk for pk, _t in rows],
                    [str(token_key(text)) for _pk, text in rows],
                    [" ".join(sorted(tokens(text))) for _pk, text in rows],
                ],
            )
            last = rows[-1][0]


class Migration(migrations.Migration):
    dependencies = [
        ("inputbank", "0025_meeting_location_history"),
    ]

    operations = [
        migrations.AddField(
            model_name="input",
            name="match_key",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="input",
            name="match_tokens",
            field=django.contrib.postgres.fields.ArrayField(
                base_field=models.TextField(), editable=False, null=True, size=None
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True),
    ]
