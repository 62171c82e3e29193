"""Where an import's time goes: ``python -m scripts.benchmarks.profile_import FILE [--top N]``.

Runs ``run_import(FILE, commit=True)`` once against ``DATABASE_URL`` (use a throw-away copy:
B4's empty template cloned with ``CREATE DATABASE ... TEMPLATE``) and prints

* wall time of every SQL statement the import sends (first 90 characters), summed by text;
* the INSERT into the input table once more as ``EXPLAIN (ANALYZE)``: its triggers and
  constraint checks by name, with the rest of the statement (heap, indexes, the generated
  search vector) as the remainder;
* the Python side as cProfile's top functions by own and by cumulative time, and this
  process's CPU time (the rest of the wall time is the database's, or waiting for it).

Used to write the split in docs/benchmarks.md (B4). Not part of a benchmark run.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import re
import sys
import time
from collections import defaultdict
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("file")
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    # An archive is larger than a web upload: allow this file (as B4 does).
    size = Path(args.file).stat().st_size + 1024**2
    os.environ["IMPORT_MAX_UPLOAD_BYTES"] = os.environ["IMPORT_MAX_UNZIPPED_BYTES"] = str(size)
    os.environ["IMPORT_MAX_ROWS"] = str(10**9)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "scripts.benchmarks.django_settings")
    import django

    django.setup()
    from django.db import connection

    from inputbank.imports import ImportOptions, run_import
    from inputbank.models import Input

    statements: dict[str, list[float]] = defaultdict(list)
    plans: list[str] = []
    table = f'INSERT INTO "{Input._meta.db_table}"'

    def timed(execute, sql, params, many, context):
        key = re.sub(r"\s+", " ", sql).strip()[:90]
        explain = key.startswith(table) and " SELECT " in sql
        if explain:
            sql = "EXPLAIN (ANALYZE, VERBOSE, BUFFERS) " + sql
        started = time.perf_counter()
        result = execute(sql, params, many, context)
        statements[key].append(time.perf_counter() - started)
        if explain:
            plans.extend(row[0] for row in context["cursor"].fetchall())
        return result

    profile = cProfile.Profile()
    cpu = time.process_time()
    started = time.perf_counter()
    with connection.execute_wrapper(timed):
        profile.enable()
        report = run_import(Path(args.file), options=ImportOptions(), commit=True)
        profile.disable()
    total = time.perf_counter() - started
    cpu = time.process_time() - cpu
    out = sys.stdout
    out.write(f"rows imported {report.rows_imported}, errors {report.error_count}\n")
    out.write(f"total {total:.2f} s, of it this process's CPU {cpu:.2f} s (with cProfile's)\n")
    out.write("\nSQL statements (sum s, calls):\n")
    sql_total = 0.0
    for key, times in sorted(statements.items(), key=lambda kv: -sum(kv[1])):
        sql_total += sum(times)
        if sum(times) >= 0.01:
            out.write(f"  {sum(times):8.2f} {len(times):6d}  {key}\n")
    out.write(f"  {sql_total:8.2f}  all SQL through the cursor (COPY is not in here)\n\n")
    out.write("EXPLAIN ANALYZE of the INSERT into the input table:\n")
    out.write("\n".join(plans) + "\n\n")
    buffer = io.StringIO()
    pstats.Stats(profile, stream=buffer).sort_stats("tottime").print_stats(args.top)
    out.write(buffer.getvalue())
    buffer = io.StringIO()
    pstats.Stats(profile, stream=buffer).sort_stats("cumulative").print_stats(args.top)
    out.write(buffer.getvalue())


if __name__ == "__main__":
    main()
