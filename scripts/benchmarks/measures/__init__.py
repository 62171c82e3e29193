"""Every measure, in the order the table prints them. Each module has ID, TITLE and run(ctx)."""

from scripts.benchmarks.measures import b6_intersects, b7_search

MEASURES = [b6_intersects, b7_search]
