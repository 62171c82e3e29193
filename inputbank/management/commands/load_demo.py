"""Load the Moss demo data: themes, role users, processes, input. Safe to run twice."""

import datetime as dt
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from inputbank.demo.loader import DEFAULT_SEED, InputCounts, load_demo


class Command(BaseCommand):
    help = "Load deterministic Moss demo data (themes, users, processes, inputs) once."

    def add_arguments(self, parser):
        parser.add_argument("--inputs", type=int, default=5000, help="total inputs (default 5000)")
        parser.add_argument("--points", type=int, help="exact number of point inputs")
        parser.add_argument("--lines", type=int, help="exact number of line inputs")
        parser.add_argument("--polygons", type=int, help="exact number of area inputs")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
        parser.add_argument(
            "--today", type=dt.date.fromisoformat, help="YYYY-MM-DD (default today)"
        )
        parser.add_argument("--replace", action="store_true", help="delete existing input first")
        parser.add_argument(
            "--arguments",
            action="store_true",
            help="then match every input into arguments (manage.py match_arguments: the bank "
            "in blocks, ~3 ms per input)",
        )

    def handle(self, *args, **opts):
        if opts["points"] is not None:
            counts = InputCounts(opts["points"], opts["lines"] or 0, opts["polygons"] or 0)
        else:
            if opts["inputs"] < 0:
                raise CommandError("--inputs must be zero or more")
            counts = InputCounts.split(opts["inputs"])
        today = opts["today"] or dt.date.today()
        started = time.monotonic()
        result = load_demo(
            counts=counts,
            today=today,
            seed=opts["seed"],
            replace=opts["replace"],
            log=lambda msg: self.stdout.write(msg),
        )
        if result["inputs"]:
            self.stdout.write(
                f"Loaded {result['inputs']} inputs in {time.monotonic() - started:.1f} s."
            )
        if opts["arguments"]:
            call_command("match_arguments", stdout=self.stdout)
        self.stdout.write("Demo log-ins (demo data only — never use these in production):")
        for username, password, role in result["users"]:
            self.stdout.write(f"  {username:<14} {password:<20} {role}")
