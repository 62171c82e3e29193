"""Staff page for imports and bulk registration: upload → dry-run report → import valid rows.

The upload waits in a staging folder (IMPORT_STAGING_DIR) between the dry run and the
import, under a random token that only the uploader's session knows; it is deleted after
the import, on cancel, and after IMPORT_STAGING_MAX_AGE seconds at the latest. Everything
else is the one import pipeline (``inputbank.imports``).
"""

from __future__ import annotations

import json
import secrets
import shutil
import time
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from inputbank import roles
from inputbank.geomessages import geo_message
from inputbank.imports import ImportOptions, MappingError, mapping_from_dict, run_import
from inputbank.imports.mapping import parse_mapping, parse_source_srid
from inputbank.models import Channel, Process, Theme

SESSION_KEY = "staff_import_tokens"
MAX_MAPPING_BYTES = 64 * 1024


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("GeoPackage, Shapefile (zip), GeoJSON, FlatGeobuf, CSV or XLSX"),
    )
    channel = forms.ChoiceField(
        label=_("Channel (when the file has none)"),
        choices=[("", "—"), *Channel.choices],
        required=False,
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes for every row"),
        queryset=Theme.objects.active(),
        to_field_name="slug",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    process = forms.ModelChoiceField(
        label=_("Process"), queryset=Process.objects.all(), to_field_name="slug", required=False
    )
    srid = forms.CharField(
        label=_("Coordinate system (EPSG code), if the file does not say"),
        max_length=12,
        required=False,
    )
    layer = forms.CharField(label=_("Layer or sheet"), max_length=120, required=False)
    mapping = forms.FileField(label=_("Column mapping (TOML or JSON)"), required=False)
    publish = forms.BooleanField(label=_("Publish at once (I have read the texts)"), required=False)

    def clean_srid(self) -> int | None:
        text = self.cleaned_data["srid"].strip()
        if not text:
            return None
        try:
            return parse_source_srid(text)
        except ValueError as exc:
            raise forms.ValidationError(geo_message(exc)) from exc

    def clean_mapping(self) -> dict:
        upload = self.cleaned_data.get("mapping")
        if not upload:
            return {}
        if upload.size > MAX_MAPPING_BYTES:
            raise forms.ValidationError(_("The mapping file is too large."))
        try:
            text = upload.read().decode("utf-8")
        except UnicodeDecodeError as exc:
            raise forms.ValidationError(_("The mapping file must be UTF-8 text.")) from exc
        try:
            parse_mapping(text)  # check now; stored as text for the import step
        except MappingError as exc:
            raise forms.ValidationError(geo_message(exc)) from exc
        return {"text": text}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.IMPORTS["MAX_UPLOAD_BYTES"]:
            limit = settings.IMPORTS["MAX_UPLOAD_BYTES"] // 1_048_576
            raise forms.ValidationError(_("The file is larger than %(mb)s MB.") % {"mb": limit})
        return upload


def _require_importer(view):
    def wrapped(request: HttpRequest, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not roles.can_import(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _staging_root() -> Path:
    root = Path(settings.IMPORTS["STAGING_DIR"])
    root.mkdir(parents=True, exist_ok=True)
    return root


def _sweep() -> None:
    """Remove staged uploads older than the allowed age (abandoned dry runs)."""
    limit = time.time() - settings.IMPORTS["STAGING_MAX_AGE"]
    for entry in _staging_root().iterdir():
        if entry.is_dir() and entry.stat().st_mtime < limit:
            shutil.rmtree(entry, ignore_errors=True)


def _stage(request: HttpRequest, form: ImportForm) -> str:
    token = secrets.token_urlsafe(24)
    folder = _staging_root() / token
    folder.mkdir(mode=0o700)
    with (folder / "upload").open("wb") as out:
        for chunk in form.cleaned_data["file"].chunks():
            out.write(chunk)
    data = form.cleaned_data
    options = {
        "name": form.cleaned_data["file"].name[:200],
        "channel": data["channel"],
        "themes": [t.slug for t in data["themes"]],
        "process": data["process"].slug if data["process"] else "",
        "srid": data["srid"],
        "layer": data["layer"],
        "mapping": data["mapping"].get("text", ""),
        "publish": data["publish"],
    }
    (folder / "options.json").write_text(json.dumps(options), encoding="utf-8")
    request.session[SESSION_KEY] = [*request.session.get(SESSION_KEY, [])[-9:], token]
    return token


def _staged(request: HttpRequest, token: str) -> tuple[Path, dict]:
    if token not in request.session.get(SESSION_KEY, []):
        raise Http404
    folder = _staging_root() / token
    if not (folder / "upload").is_file():
        raise Http404
    return folder, json.loads((folder / "options.json").read_text(encoding="utf-8"))


def _options(saved: dict) -> ImportOptions:
    mapping = parse_mapping(saved["mapping"]) if saved["mapping"] else mapping_from_dict({})
    for key in ("channel", "process"):
        if saved[key]:
            mapping.defaults.setdefault(key, saved[key])
    if saved["themes"]:
        mapping.defaults["themes"] = list(
            dict.fromkeys([*mapping.defaults.get("themes", []), *saved["themes"]])
        )
    layer = saved["layer"] or None
    return ImportOptions(
        mapping=mapping, srid=saved["srid"], layer=layer, sheet=layer, publish=saved["publish"]
    )


def _forget(request: HttpRequest, token: str) -> None:
    shutil.rmtree(_staging_root() / token, ignore_errors=True)
    request.session[SESSION_KEY] = [t for t in request.session.get(SESSION_KEY, []) if t != token]


@_require_importer
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    """Show the upload form; on POST stage the file and show the dry-run report."""
    if request.method == "GET":
        return render(request, "imports/upload.html", {"form": ImportForm()})
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "imports/upload.html", {"form": form}, status=400)
    _sweep()
    token = _stage(request, form)
    folder, saved = _staged(request, token)
    report = run_import(
        folder / "upload", options=_options(saved), user=request.user, name_hint=saved["name"]
    )
    if report.refused:
        _forget(request, token)
        token = ""
    context = {"report": report, "token": token, "name": saved["name"], "saved": saved}
    return render(request, "imports/report.html", context)


@_require_importer
@require_POST
def commit(request: HttpRequest, token: str) -> HttpResponse:
    """Import the valid rows of a staged upload in one transaction, then forget the upload."""
    folder, saved = _staged(request, token)
    try:
        report = run_import(
            folder / "upload",
            options=_options(saved),
            user=request.user,
            commit=True,
            name_hint=saved["name"],
        )
    finally:
        _forget(request, token)
    return render(request, "imports/done.html", {"report": report, "name": saved["name"]})


@_require_importer
@require_POST
def cancel(request: HttpRequest, token: str) -> HttpResponse:
    _staged(request, token)
    _forget(request, token)
    return redirect("imports:upload")
