"""Pages people look at. Reads through querysets, writes through services or the API."""

from django.shortcuts import render
from django.utils import timezone

from inputbank.models import Input, Process


def home(request):
    today = timezone.localdate()
    context = {
        "open_processes": Process.objects.open_on(today).order_by("closes_on"),
        "published_count": Input.objects.published().count(),
    }
    return render(request, "maps/home.html", context)
