"""The participants' evaluation of a closed process, reached from the invitation e-mail.

The link's token works once; the answer is stored without any link to the person
(inputbank/services/evaluations.py).
"""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from inputbank.models.evaluations import Understood
from inputbank.services.evaluations import (
    COMMENT_MAX_LENGTH,
    EvaluationRefused,
    evaluation_answer,
    invitation_for,
)


def _context(invitation, post=None, errors=None) -> dict:
    return {
        "state": "form",
        "process": invitation.process,
        "scale": range(1, 6),
        "choices": Understood.choices,
        "values": post or {},
        "errors": errors or {},
        "comment_max": COMMENT_MAX_LENGTH,
    }


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def evaluation(request, token: str):
    """GET: four questions; POST: store the anonymous answer and use up the link."""
    invitation = invitation_for(token)
    if invitation is None:
        return render(request, "maps/evaluation.html", {"state": "gone"}, status=404)
    if request.method != "POST":
        return render(request, "maps/evaluation.html", _context(invitation))
    post = request.POST
    try:
        answer = evaluation_answer(
            token=token,
            experience=post.get("experience"),
            understood_use=post.get("understood_use", ""),
            accessible=post.get("accessible", ""),
            comment=post.get("comment", ""),
        )
    except EvaluationRefused as refused:
        context = _context(invitation, post, {k: str(v) for k, v in refused.errors.items()})
        return render(request, "maps/evaluation.html", context, status=400)
    if answer is None:
        return render(request, "maps/evaluation.html", {"state": "gone"}, status=404)
    return render(request, "maps/evaluation.html", {"state": "thanks", "process": answer.process})
