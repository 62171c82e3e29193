"""Each argument's latest answer, kept on the argument by triggers (B1 at size M).

Reading an argument's answer used to look through every input of the argument for a
response: at size M a hundred large arguments have 381 097 inputs between them, and the
prior-input report spent 6–12 s per request there. The column ``inputbank_argument.answer_id`` now names
the answer to show, and the report reads it by key.

The rule (written once, here; docs/arguments.md): an argument's answer is the latest
(``decided_at``, then ``id``) of the responses that name the argument (answered once) and
the responses given to its published inputs one by one. A response to a pending or rejected
input is not shown as the argument's answer (it may be about why the input was refused).

Triggers keep it on every write path (the staff pages, the API, answer once, merge, split,
the machine's regrouping, moderation, erasure, COPY): a new or later response takes the place
at once; when the answer shown leaves (deleted, moved, its input unpublished or moved to
another argument) that argument is computed again from its members.
``inputbank_argument_answers(NULL)`` computes every argument (this migration's backfill, and
the demo generator's after it COPYs responses before their arguments exist).
"""

from django.db import migrations

# Not a model field: Django would write a loaded (older) value back with every save.
COLUMN = """
ALTER TABLE inputbank_argument ADD COLUMN answer_id bigint;
COMMENT ON COLUMN inputbank_argument.answer_id IS
    'The response shown as the argument''s answer; kept by triggers (migration 0027)';
CREATE INDEX inputbank_argument_answer_id ON inputbank_argument (answer_id);
"""

# Every argument in ``ids`` (all when NULL) computed from its members. Two statements, not
# one with "ids IS NULL OR ...": PL/pgSQL keeps a generic plan, which could not use the
# indexes for the one-argument case that the triggers call.
LATEST = """
    SELECT DISTINCT ON (a) a, id FROM (
        SELECT r.argument_id AS a, r.id, r.decided_at FROM inputbank_response r
        WHERE r.argument_id {which_r}
        UNION ALL
        SELECT i.argument_id, r.id, r.decided_at
        FROM inputbank_input i JOIN inputbank_response r ON r.input_id = i.id
        WHERE i.argument_id {which_i} AND i.status = 'published' AND r.argument_id IS NULL
    ) x
    ORDER BY a, decided_at DESC, id DESC
"""
SET = """
    UPDATE inputbank_argument g SET answer_id = l.id
    FROM (SELECT g2.id AS argument_id, latest.id FROM inputbank_argument g2
          LEFT JOIN ({latest}) latest ON latest.a = g2.id {where}) l
    WHERE g.id = l.argument_id AND g.answer_id IS DISTINCT FROM l.id;
"""
ALL = SET.format(latest=LATEST.format(which_r="IS NOT NULL", which_i="IS NOT NULL"), where="")
SOME = SET.format(
    latest=LATEST.format(which_r="= ANY(ids)", which_i="= ANY(ids)"),
    where="WHERE g2.id = ANY(ids)",
)

REFRESH = f"""
CREATE FUNCTION inputbank_argument_answers(ids bigint[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF ids IS NULL THEN
        {ALL}
    ELSE
        {SOME}
    END IF;
END
$$;

-- One response offered as an argument's answer: it wins when it is later than the one shown.
CREATE FUNCTION inputbank_argument_offer(argument bigint, response bigint,
                                         decided timestamptz) RETURNS void
LANGUAGE sql AS $$
    UPDATE inputbank_argument g SET answer_id = response
    WHERE g.id = argument AND g.answer_id IS DISTINCT FROM response
      AND (g.answer_id IS NULL OR NOT EXISTS (
          SELECT 1 FROM inputbank_response shown WHERE shown.id = g.answer_id
            AND (shown.decided_at, shown.id) > (decided, response)));
$$;

-- The arguments showing this response computed again (it left them, or changed its date).
CREATE FUNCTION inputbank_argument_withdraw(response bigint) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    showing bigint[];
BEGIN
    showing := ARRAY(SELECT id FROM inputbank_argument WHERE answer_id = response);
    IF cardinality(showing) > 0 THEN
        PERFORM inputbank_argument_answers(showing);
    END IF;
END
$$;

CREATE FUNCTION inputbank_response_answer() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    owner bigint;
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM inputbank_argument_withdraw(OLD.id);
        RETURN NULL;
    END IF;
    IF TG_OP = 'UPDATE' THEN
        IF OLD.argument_id IS NOT DISTINCT FROM NEW.argument_id
           AND OLD.input_id = NEW.input_id AND OLD.decided_at = NEW.decided_at THEN
            RETURN NULL;  -- a new wording: the answer shown is read through its id
        END IF;
        PERFORM inputbank_argument_withdraw(OLD.id);
    END IF;
    owner := NEW.argument_id;
    IF owner IS NULL THEN
        SELECT argument_id INTO owner FROM inputbank_input
        WHERE id = NEW.input_id AND status = 'published';
    END IF;
    IF owner IS NOT NULL THEN
        PERFORM inputbank_argument_offer(owner, NEW.id, NEW.decided_at);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER inputbank_response_answer
AFTER INSERT OR UPDATE OR DELETE ON inputbank_response
FOR EACH ROW EXECUTE FUNCTION inputbank_response_answer();

-- An input that moves between arguments, or is published or withdrawn, takes its own
-- response (not one naming an argument: that stays with the argument it names) along.
CREATE FUNCTION inputbank_input_answer() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    own record;
BEGIN
    SELECT id, decided_at INTO own FROM inputbank_response
    WHERE input_id = NEW.id AND argument_id IS NULL;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    PERFORM inputbank_argument_withdraw(own.id);
    IF NEW.argument_id IS NOT NULL AND NEW.status = 'published' THEN
        PERFORM inputbank_argument_offer(NEW.argument_id, own.id, own.decided_at);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER inputbank_input_answer
AFTER UPDATE OF argument_id, status ON inputbank_input
FOR EACH ROW
WHEN (OLD.argument_id IS DISTINCT FROM NEW.argument_id OR OLD.status IS DISTINCT FROM NEW.status)
EXECUTE FUNCTION inputbank_input_answer();

SELECT inputbank_argument_answers(NULL);
"""

BACKWARD = """
DROP TRIGGER IF EXISTS inputbank_input_answer ON inputbank_input;
DROP TRIGGER IF EXISTS inputbank_response_answer ON inputbank_response;
DROP FUNCTION IF EXISTS inputbank_input_answer();
DROP FUNCTION IF EXISTS inputbank_response_answer();
DROP FUNCTION IF EXISTS inputbank_argument_withdraw(bigint);
DROP FUNCTION IF EXISTS inputbank_argument_offer(bigint, bigint, timestamptz);
DROP FUNCTION IF EXISTS inputbank_argument_answers(bigint[]);
ALTER TABLE inputbank_argument DROP COLUMN IF EXISTS answer_id;
"""


class Migration(migrations.Migration):
    dependencies = [("inputbank", "0026_input_match_tokens")]

    operations = [migrations.RunSQL(COLUMN + REFRESH, BACKWARD)]
