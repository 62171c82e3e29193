"""B9R: grouping the whole bank into arguments from scratch (``manage.py match_arguments
--all``): wall time, CPU time and peak memory, extrapolated to size M. See b9_arguments."""

from scripts.benchmarks.measures.b9_arguments import run_regroup

ID = "B9R"
TITLE = "Argument grouping of the whole bank from scratch (match_arguments --all)"


def run(ctx):
    return run_regroup(ctx)
