"""Precision and recall of the redaction on the labelled set in fixtures/redaction/.

Run ``.venv/bin/python -m tests.inputbank.test_redaction_measure`` for the table that
docs/privacy.md quotes; the test holds the targets (recall >= 0.95 for e-mail, phone and
fødselsnummer, >= 0.8 for names and addresses, precision >= 0.95 overall).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from inputbank.redaction import KnownPerson, find_personal_data

SETS = Path(__file__).resolve().parents[2] / "fixtures" / "redaction"
SET = SETS / "sentences.txt"
# Written after the rules were tuned on SET, never tuned on: the honest figure.
HELD_OUT = SETS / "heldout.txt"
MARK = re.compile(r"\[\[(\w+):(.*?)\]\]")
KINDS = ("email", "phone", "national_id", "name", "address")
RECALL_TARGETS = {"email": 0.95, "phone": 0.95, "national_id": 0.95, "name": 0.8, "address": 0.8}
PRECISION_TARGET = 0.95


@dataclass
class Sample:
    text: str
    gold: list[tuple[str, int, int]]
    known: KnownPerson | None


def _known(spec: str) -> KnownPerson:
    fields = dict(part.strip().split("=", 1) for part in spec.split(";") if part.strip())
    return KnownPerson(
        name=fields.get("name", ""),
        email=fields.get("email", ""),
        phone=fields.get("phone", ""),
        postal_address=fields.get("address", ""),
    )


def load_samples(path: Path = SET) -> list[Sample]:
    samples = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        known = None
        if line.startswith("known ") and " >> " in line:
            spec, line = line[len("known ") :].split(" >> ", 1)
            known = _known(spec)
        line = line.replace("\\n", "\n")
        text, gold, pos = [], [], 0
        length = 0
        for m in MARK.finditer(line):
            plain = line[pos : m.start()]
            text.append(plain)
            length += len(plain)
            gold.append((m.group(1), length, length + len(m.group(2))))
            text.append(m.group(2))
            length += len(m.group(2))
            pos = m.end()
        text.append(line[pos:])
        samples.append(Sample("".join(text), gold, known))
    return samples


def measure(samples: list[Sample]) -> dict[str, dict[str, float]]:
    """Per kind: gold spans, found spans, recall, precision; 'overall' adds them up.

    A finding counts when it overlaps a labelled span of the same kind.
    """
    gold_n, hit_n, found_n, right_n = Counter(), Counter(), Counter(), Counter()
    for sample in samples:
        found = find_personal_data(sample.text, known=sample.known)
        for kind, start, end in sample.gold:
            gold_n[kind] += 1
            if any(f.kind == kind and f.start < end and start < f.end for f in found):
                hit_n[kind] += 1
        for f in found:
            found_n[f.kind] += 1
            if any(k == f.kind and f.start < e and s < f.end for k, s, e in sample.gold):
                right_n[f.kind] += 1
    table = {}
    for kind in (*KINDS, "overall"):
        g = sum(gold_n.values()) if kind == "overall" else gold_n[kind]
        h = sum(hit_n.values()) if kind == "overall" else hit_n[kind]
        f = sum(found_n.values()) if kind == "overall" else found_n[kind]
        r = sum(right_n.values()) if kind == "overall" else right_n[kind]
        table[kind] = {
            "labelled": g,
            "found": f,
            "recall": h / g if g else 1.0,
            "precision": r / f if f else 1.0,
        }
    return table


def misses(samples: list[Sample]) -> list[str]:
    """Each labelled span not found and each finding not labelled, for tuning by hand."""
    out = []
    for sample in samples:
        found = find_personal_data(sample.text, known=sample.known)
        for kind, start, end in sample.gold:
            if not any(f.kind == kind and f.start < end and start < f.end for f in found):
                out.append(f"missed {kind}: {sample.text[start:end]!r} in {sample.text!r}")
        for f in found:
            if not any(k == f.kind and f.start < e and s < f.end for k, s, e in sample.gold):
                out.append(f"wrong {f.kind}: {f.text!r} in {sample.text!r}")
    return out


def test_the_labelled_set_is_big_enough_and_has_sentences_without_personal_data():
    samples = load_samples()
    assert len(samples) >= 200
    assert sum(1 for s in samples if not s.gold) >= 60


@pytest.mark.parametrize("path", [SET, HELD_OUT], ids=["tuned", "held-out"])
def test_redaction_meets_its_targets_on_the_labelled_sets(path):
    table = measure(load_samples(path))
    for kind, target in RECALL_TARGETS.items():
        assert table[kind]["recall"] >= target, (kind, table[kind])
    assert table["overall"]["precision"] >= PRECISION_TARGET, table["overall"]


def main() -> None:
    for path in (SET, HELD_OUT):
        samples = load_samples(path)
        table = measure(samples)
        empty = sum(1 for s in samples if not s.gold)
        print(f"\n{path.name}: {len(samples)} inputs, {empty} without personal data\n")
        print("| kind | labelled | found | recall | precision |")
        print("|---|---:|---:|---:|---:|")
        for kind, row in table.items():
            print(
                f"| {kind} | {row['labelled']} | {row['found']} "
                f"| {row['recall']:.2f} | {row['precision']:.2f} |"
            )
        for line in misses(samples):
            print(line)


if __name__ == "__main__":
    main()
