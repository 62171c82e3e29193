"""The benchmark runner behind ./scripts/bench (docs/benchmarks.md explains every measure).

Not product code: it measures the product (HTTP through a real gunicorn, the ORM in-process,
the management commands as subprocesses) against the best the database and GDAL can do on the
same data, in the same run, with the same database settings.
"""
