"""Short human references for input ("MOSS-2026-0142", inputbank/references.py).

``Input.reference_year`` / ``reference_number``: the year of receipt (Oslo time) and a number
counted per year. Existing rows are numbered in order of receipt; from then on a BEFORE INSERT
trigger numbers every new row whose number is 0 (the column default), counting in
``inputbank_inputreferencecounter``, so the API, staff registration, the importer and the demo
loader's COPY all get references without knowing about them. Django reads the numbers back
with RETURNING (the fields have a database default).

``FeedbackDelivery.kind``: the receipt e-mail travels the feedback e-mail path beside the answer.
"""

from django.conf import settings
from django.db import migrations, models

# The year of receipt as residents see it: the municipality's time zone, not UTC.
_YEAR = f"extract(year FROM {{col}} AT TIME ZONE '{settings.TIME_ZONE}')::int"

BACKFILL = f"""
UPDATE inputbank_input i SET reference_year = r.y, reference_number = r.n
FROM (
    SELECT id, {_YEAR.format(col="received_at")} AS y,
           row_number() OVER (
               PARTITION BY {_YEAR.format(col="received_at")} ORDER BY received_at, id
           ) AS n
    FROM inputbank_input
) r
WHERE r.id = i.id;
INSERT INTO inputbank_inputreferencecounter (year, last)
SELECT reference_year, max(reference_number) FROM inputbank_input GROUP BY reference_year;
UPDATE inputbank_historicalinput h
SET reference_year = i.reference_year, reference_number = i.reference_number
FROM inputbank_input i WHERE i.id = h.id;
"""

TRIGGER = f"""
CREATE FUNCTION inputbank_input_number() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.reference_number = 0 THEN
        NEW.reference_year := {_YEAR.format(col="NEW.received_at")};
        INSERT INTO inputbank_inputreferencecounter AS c (year, last)
        VALUES (NEW.reference_year, 1)
        ON CONFLICT (year) DO UPDATE SET last = c.last + 1
        RETURNING c.last INTO NEW.reference_number;
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER inputbank_input_number BEFORE INSERT ON inputbank_input
FOR EACH ROW EXECUTE FUNCTION inputbank_input_number();
"""

UNTRIGGER = """
DROP TRIGGER IF EXISTS inputbank_input_number ON inputbank_input;
DROP FUNCTION IF EXISTS inputbank_input_number();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("inputbank", "0015_staff_language"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="InputReferenceCounter",
            fields=[
                ("year", models.PositiveSmallIntegerField(primary_key=True, serialize=False)),
                ("last", models.PositiveIntegerField()),
            ],
        ),
        migrations.AddField(
            model_name="feedbackdelivery",
            name="kind",
            field=models.CharField(
                choices=[("answer", "Answer"), ("receipt", "Receipt")],
                db_default="answer",
                default="answer",
                max_length=10,
            ),
        ),
        migrations.AddField(
            model_name="historicalinput",
            name="reference_number",
            field=models.PositiveIntegerField(db_default=0, editable=False),
        ),
        migrations.AddField(
            model_name="historicalinput",
            name="reference_year",
            field=models.PositiveSmallIntegerField(db_default=0, editable=False),
        ),
        migrations.AddField(
            model_name="input",
            name="reference_number",
            field=models.PositiveIntegerField(db_default=0, editable=False),
        ),
        migrations.AddField(
            model_name="input",
            name="reference_year",
            field=models.PositiveSmallIntegerField(db_default=0, editable=False),
        ),
        migrations.RunSQL(BACKFILL, migrations.RunSQL.noop),
        migrations.RunSQL(TRIGGER, UNTRIGGER),
        migrations.AddConstraint(
            model_name="input",
            constraint=models.UniqueConstraint(
                fields=("reference_year", "reference_number"), name="input_reference_unique"
            ),
        ),
        migrations.AddConstraint(
            model_name="input",
            constraint=models.CheckConstraint(
                condition=models.Q(("reference_number__gte", 1), ("reference_year__gte", 1900)),
                name="input_reference_numbered",
            ),
        ),
    ]
