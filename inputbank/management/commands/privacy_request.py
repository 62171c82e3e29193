"""Handle an access (art. 15) or erasure (art. 17) request from the command line, logged."""

import json

from django.core.management.base import BaseCommand, CommandError

from inputbank.models import Contributor, PrivacyRequest
from inputbank.services.privacy import area_alerts_erase, privacy_request_handle


class Command(BaseCommand):
    help = (
        "Export (JSON to stdout) or erase one contributor's personal data: "
        "privacy_request export|erase (--contributor N | --email ADDRESS)."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["export", "erase"])
        who = parser.add_mutually_exclusive_group(required=True)
        who.add_argument("--contributor", type=int, help="contributor number")
        who.add_argument("--email", help="the contributor's e-mail address")
        parser.add_argument("--note", default="", help="why (no personal data; logged)")
        parser.add_argument(
            "--delete-inputs",
            action="store_true",
            help="erase: delete their input too (only when the archive does not need it)",
        )

    def handle(self, *args, **opts):
        found = Contributor.objects.filter(pseudonymised_at__isnull=True)
        if opts["contributor"] is not None:
            found = found.filter(pk=opts["contributor"])
        else:
            found = found.filter(email__iexact=opts["email"])
        contributors = list(found)
        # Someone who only follows an area (no input): their alerts are all there is.
        only_alerts = not contributors and opts["email"] and opts["action"] == "erase"
        if only_alerts and (deleted := area_alerts_erase(email=opts["email"])):
            self.stderr.write(f"Erased {deleted} area alert(s); no contributor matches.")
            return
        if not contributors:
            raise CommandError("No contributor with personal data matches.")
        exports = []
        for contributor in contributors:
            logged, export = privacy_request_handle(
                contributor=contributor,
                kind=(
                    PrivacyRequest.Kind.ACCESS
                    if opts["action"] == "export"
                    else PrivacyRequest.Kind.ERASURE
                ),
                via=PrivacyRequest.Via.COMMAND,
                note=opts["note"],
                delete_inputs=opts["delete_inputs"],
            )
            if export is not None:
                exports.append(export)
            else:
                self.stderr.write(
                    f"Erased contributor {logged.contributor_ref} "
                    f"({logged.inputs_affected} input(s))."
                )
        if exports:
            self.stdout.write(json.dumps(exports, ensure_ascii=False, indent=2))
