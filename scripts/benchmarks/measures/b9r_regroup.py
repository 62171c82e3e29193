"""B9R: grouping the whole bank into arguments from scratch (``manage.py match_arguments
--all``): wall time, CPU time and peak memory, extrapolated to size M. See b9_arguments.

Above size S it is measured on a sample: the S bank (same generator and seed, its own
database, generated first if missing), because regrouping M from scratch takes ~20 minutes
(21.3 measured in session 8, where the S sample's ×11 said 15.3: the time grows a little
faster than the inputs) and L several hours. BENCH_REGROUP_SIZE chooses another sample
size (M for M itself).
"""

import dataclasses
import os
import subprocess
import sys

from scripts.benchmarks.context import ROOT, log
from scripts.benchmarks.database import bench_database_name, url_with_database
from scripts.benchmarks.measures.b9_arguments import run_regroup
from scripts.benchmarks.sizes import SIZES

ID = "B9R"
TITLE = "Argument grouping of the whole bank from scratch (match_arguments --all)"


def sample_context(ctx):
    """The context of the sample bank, generated (or checked) by a run of its own."""
    sample = SIZES[os.environ.get("BENCH_REGROUP_SIZE", "S").upper()]
    if ctx.size.total <= sample.total:
        return ctx
    log(f"B9R on the {sample.name} bank as a sample of {ctx.size.name}")
    env = {**os.environ, "DATABASE_URL": ctx.base_url}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    subprocess.run(
        [sys.executable, "-m", "scripts.benchmarks", "--size", sample.name, "--seed",
         str(ctx.seed), "--data-only"],
        check=True, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    url = url_with_database(ctx.base_url, bench_database_name(ctx.base_url, sample.name))
    return dataclasses.replace(ctx, size=sample, url=url)


def run(ctx):
    sample = sample_context(ctx)
    rows = run_regroup(sample)
    if sample is not ctx:
        for row in rows:
            row.note = (
                f"measured on the {sample.size.name} bank ({sample.size.total:,} inputs) as a "
                f"sample of {ctx.size.name}; " + row.note
            ).rstrip("; ")
            row.detail["sample_of"] = ctx.size.name
    return rows
