"""Access and erasure requests that reach staff (letter, phone, counter), handled and logged.

Only case officers (who may see contributors) use it, with a recent log-in (inputbank/reauth.py).
Every export and erasure is logged as a PrivacyRequest and in the audit trail by the privacy
service; both name the contributor by number only.
"""

from __future__ import annotations

import json
import re

from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from inputbank import roles
from inputbank.models import Contributor, PrivacyRequest
from inputbank.reauth import recent_login_required
from inputbank.services.privacy import privacy_request_handle
from maps.staff.access import staff_view


def _matching(query: str):
    """Contributors by e-mail, phone (any spacing), name or number."""
    query = query.strip()
    if not query:
        return Contributor.objects.none()
    condition = Q(email__iexact=query) | Q(name__iexact=query)
    digits = re.sub(r"\D", "", query)
    if query.isdigit() and len(query) < 8:
        condition |= Q(pk=int(query))
    elif len(digits) >= 8:
        condition |= Q(phone__regex=r"\s*".join(digits[-8:]))
    return (
        Contributor.objects.filter(condition, pseudonymised_at__isnull=True)
        .annotate(input_count=Count("inputs"))
        .order_by("pk")[:50]
    )


@staff_view(roles.can_see_contributors)
@recent_login_required()
def privacy_requests(request):
    query = request.GET.get("q", "")
    context = {
        "query": query,
        "found": _matching(query),
        "log": PrivacyRequest.objects.select_related("handled_by")[:50],
    }
    return render(request, "staff/privacy.html", context)


@staff_view(roles.can_see_contributors)
@recent_login_required(back_to="staff:privacy")
@require_POST
def privacy_export(request, pk: int):
    contributor = get_object_or_404(Contributor, pk=pk, pseudonymised_at__isnull=True)
    _logged, export = privacy_request_handle(
        contributor=contributor,
        kind=PrivacyRequest.Kind.ACCESS,
        via=PrivacyRequest.Via.STAFF,
        handled_by=request.user,
        note=request.POST.get("note", ""),
    )
    body = json.dumps(export, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="contributor-{pk}.json"'
    return response


@staff_view(roles.can_see_contributors)
@recent_login_required(back_to="staff:privacy")
@require_POST
def privacy_erase(request, pk: int):
    contributor = get_object_or_404(Contributor, pk=pk, pseudonymised_at__isnull=True)
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Tick the box to confirm the erasure."))
        return redirect("staff:privacy")
    logged, _export = privacy_request_handle(
        contributor=contributor,
        kind=PrivacyRequest.Kind.ERASURE,
        via=PrivacyRequest.Via.STAFF,
        handled_by=request.user,
        note=request.POST.get("note", ""),
        delete_inputs=request.POST.get("delete_inputs") == "yes",
    )
    messages.success(
        request,
        _("Contributor %(ref)s is erased (%(count)s inputs).")
        % {"ref": logged.contributor_ref, "count": logged.inputs_affected},
    )
    return redirect("staff:privacy")
