"""./scripts/bench [--size XS|S|M|L] [--only B1,B3] [--json PATH] [--seed N] [--data-only]

Prints a table (measure, ours, baseline, ratio, target, met) and writes the rows as JSON.
Benchmarks report; they never fail because a target is missed (exit status 1 only when a
measure crashed).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import sys
import time
from pathlib import Path

from scripts.benchmarks import database
from scripts.benchmarks.context import ROOT, Context, log
from scripts.benchmarks.measures import MODULES, load
from scripts.benchmarks.results import ERROR, Row, failed
from scripts.benchmarks.sizes import DEFAULT_SEED, SIZES


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="./scripts/bench", description=__doc__.split("\n")[2])
    parser.add_argument("--size", default="M", type=str.upper, choices=list(SIZES))
    parser.add_argument(
        "--only", default="", help="comma-separated measure ids, e.g. B1,B3,X1 (default: all)"
    )
    parser.add_argument(
        "--json", type=Path, help="where to write the rows (default: bench-results/)"
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument(
        "--data-only", action="store_true", help="generate (or check) the size's data and stop"
    )
    return parser.parse_args(argv)


def selected(only: str) -> list[str]:
    wanted = {part.strip().upper() for part in only.split(",") if part.strip()}
    unknown = wanted - set(MODULES)
    if unknown:
        names = ", ".join(MODULES)
        raise SystemExit(f"unknown measure {', '.join(sorted(unknown))}; choose from {names}")
    return [m for m in MODULES if not wanted or m in wanted]


def fmt(value, unit: str = "") -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        text = f"{value:,.3f}" if abs(value) < 10 else f"{value:,.1f}"
    else:
        text = str(value)
    return f"{text} {unit}".strip()


def print_table(rows: list[Row]) -> None:
    header = ("id", "measure", "ours", "baseline", "ratio", "target", "met")
    lines = [
        (
            r.id,
            r.measure,
            fmt(r.ours, r.unit),
            fmt(r.baseline, r.unit),
            "—" if r.ratio is None else f"{r.ratio:.2f}×",
            r.target,
            "yes" if r.met else ("n/a" if r.status != "measured" else "NO"),
        )
        for r in rows
    ]
    widths = [max(len(str(x)) for x in col) for col in zip(header, *lines, strict=True)]
    out = [" | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True))]
    out.append("-+-".join("-" * w for w in widths))
    out += [" | ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)) for line in lines]
    print("\n".join(out))
    notes = [r for r in rows if r.note]
    if notes:
        print()
        for r in notes:
            print(f"{r.id}: {r.note}")


def markdown(rows: list[Row], meta: dict) -> str:
    """The results as a Markdown table with the machine, for docs/benchmarks.md."""
    m = meta["machine"]
    lines = [
        f"Size {meta['size']} ({meta['inputs']:,} inputs, seed {meta['seed']}), "
        f"{meta['finished']}, run took {meta['seconds'] / 60:.1f} min; load average "
        f"{meta['load_average']['start']} at the start, {meta['load_average']['end']} at the end.",
        "",
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['ram_gb']} GB RAM; {m['postgresql']}; "
        f"PostGIS {m['postgis']}; GDAL {m['gdal_ogr2ogr'].split(',')[0].removeprefix('GDAL ')} "
        f"(ogr2ogr) and {m['gdal_pyogrio']} (pyogrio); Django {m['django']}; {m['chromium']}.",
        "",
        "| id | measure | ours | baseline | ratio | target | met |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        met = "yes" if r.met else ("n/a" if r.status != "measured" else "**no**")
        ratio_text = "—" if r.ratio is None else f"{r.ratio:.2f}×"
        lines.append(
            f"| {r.id} | {r.measure} | {fmt(r.ours, r.unit)} | {fmt(r.baseline, r.unit)} "
            f"| {ratio_text} | {r.target} | {met} |"
        )
    return "\n".join(lines) + "\n"


def machine() -> dict:
    from scripts.benchmarks.versions import versions

    return {"python": platform.python_version(), **versions()}


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    size = SIZES[args.size]
    measures = selected(args.only)
    base_url = os.environ.get("DATABASE_URL")
    if not base_url:
        raise SystemExit("DATABASE_URL is not set: run ./scripts/bench, which sets it up")
    started = time.perf_counter()
    load_before = os.getloadavg()
    name = database.bench_database_name(base_url, size.name)
    log(f"benchmark database {name}")
    url = database.create_database(base_url, name)
    work = ROOT / "var" / "bench" / size.name
    work.mkdir(parents=True, exist_ok=True)
    os.environ["STATIC_ROOT"] = str(work / "static")
    database.setup_django(url)
    data = database.ensure_data(url, size, args.seed, log)
    if args.data_only:
        print(json.dumps(data))
        return 0
    ctx = Context(size=size, seed=args.seed, url=url, base_url=base_url, work=work)
    rows: list[Row] = []
    try:
        for measure_id in measures:
            measure = load(measure_id)
            log(f"{measure.ID}: {measure.TITLE}")
            t0 = time.perf_counter()
            try:
                rows += measure.run(ctx)
            except Exception as exc:  # one broken measure must not hide the others
                rows.append(failed(measure.ID, measure.TITLE, "—", exc))
            log(f"{measure.ID} took {time.perf_counter() - t0:.1f} s")
    finally:
        ctx.close()
    print_table(rows)
    out = args.json or (
        ROOT / "bench-results" / f"{size.name}-{dt.datetime.now():%Y%m%d-%H%M%S}.json"
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    doc_rows = [r.as_dict() for r in rows]
    out.write_text(json.dumps(doc_rows, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    meta = {
        "size": size.name,
        "inputs": size.total,
        "seed": args.seed,
        "data": data,
        "seconds": round(time.perf_counter() - started, 1),
        "machine": machine(),
        # Other work on the machine skews absolute numbers (ratios less): 1-minute load average.
        "load_average": {"start": round(load_before[0], 2), "end": round(os.getloadavg()[0], 2)},
        "finished": dt.datetime.now().isoformat(timespec="seconds"),
    }
    out.with_suffix(".meta.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    out.with_suffix(".md").write_text(markdown(rows, meta), encoding="utf-8")
    print(f"\n{len(rows)} rows written to {out} (run took {meta['seconds']:.0f} s)")
    return 1 if any(r.status == ERROR for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
