"""Django admin for every model: for looking things up and for plain fixes.

Every write with a domain rule goes through its service, as from any other door: an input's
corrections through ``input_update`` (the public text is redacted again, the map's caches are
refreshed), publishing through ``input_publish`` and ``comment_publish`` (admin actions), a
process through ``process_save`` (area in the storage CRS). What has no admin path through a
service is read-only here: moderation status and its trail, responses (answered on the staff
page or the API, which also e-mail the contributor), comments' texts, attachments' files.
User accounts and role groups need a recent log-in and are audited (``accounts.py``).
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.gis import admin as gis_admin
from django.utils.translation import gettext_lazy, ngettext
from modeltranslation.admin import TranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from geo.crs import MOSS_CENTRE_LONLAT
from inputbank import services
from inputbank.casenumbers import CaseRef
from inputbank.models import (
    Argument,
    ArgumentDecision,
    Attachment,
    Comment,
    Contributor,
    Input,
    Meeting,
    ModerationStatus,
    Process,
    Response,
    Support,
    Theme,
)
from inputbank.widgets import LocalOSMWidget


class MapAdmin(gis_admin.GISModelAdmin):
    """OpenLayers map widget; its JavaScript comes from our static files (maps/static/vendor)."""

    gis_widget = LocalOSMWidget
    gis_widget_kwargs = {
        "attrs": {
            "default_lon": MOSS_CENTRE_LONLAT[0],
            "default_lat": MOSS_CENTRE_LONLAT[1],
            "default_zoom": 12,
        }
    }


class ReadOnlyMixin:
    """Every field shown, none editable, nothing added here (the service's own door does it)."""

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request, obj=None):
        return False

    def revert_disabled(self, request, obj=None):
        # simple-history's "revert to this version" would write the row past its service.
        return True


@admin.register(Theme)
class ThemeAdmin(TranslationAdmin, SimpleHistoryAdmin):
    list_display = ("name", "slug", "parent", "colour", "active", "sort_order")
    list_filter = ("active", "parent")
    search_fields = ("slug", "name")
    prepopulated_fields = {"slug": ("name",)}


class MeetingInline(admin.TabularInline):
    """Meetings (date, time, place) shown on the resident process page."""

    model = Meeting
    extra = 1
    fields = ("title", "starts_at", "ends_at", "place", "description")


@admin.register(Process)
class ProcessAdmin(TranslationAdmin, MapAdmin, SimpleHistoryAdmin):
    list_display = ("title", "status", "ladder_step", "opens_on", "closes_on", "case_number")
    list_filter = ("status", "ladder_step", "owner_department")
    search_fields = ("title", "slug", "plan_identifier")
    date_hierarchy = "opens_on"
    inlines = [MeetingInline]

    def save_model(self, request, obj, form, change):
        services.process_save(process=obj, changed_by=request.user)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Meeting:
            return super().save_formset(request, form, formset, change)
        # Meetings go through the meeting service (history with the officer), as on the staff
        # pages; the lists are what the admin's change message reads after a formset.save().
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for sub in formset.deleted_forms:
            if sub.instance.pk:
                services.meeting_delete(meeting=sub.instance, deleted_by=request.user)
                formset.deleted_objects.append(sub.instance)
        for sub in formset.forms:
            if sub in formset.deleted_forms or not sub.has_changed():
                continue
            fields = ("title", "starts_at", "ends_at", "place", "description")
            data = services.MeetingData(
                **{name: sub.cleaned_data[name] for name in fields},
                location=sub.instance.location,
            )
            if sub.instance.pk:
                services.meeting_change(meeting=sub.instance, data=data, changed_by=request.user)
                formset.changed_objects.append((sub.instance, sub.changed_data))
            else:
                meeting = services.meeting_add(
                    process=form.instance, data=data, added_by=request.user
                )
                formset.new_objects.append(meeting)


class AttachmentInline(admin.TabularInline):
    """Only whether a photo is public can be changed; files come checked through the services."""

    model = Attachment
    extra = 0
    fields = ("original_name", "content_type", "size_bytes", "public", "created_at")
    readonly_fields = ("original_name", "content_type", "size_bytes", "created_at")

    def has_add_permission(self, request, obj=None):
        return False


class ResponseInline(ReadOnlyMixin, admin.StackedInline):
    model = Response
    extra = 0
    can_delete = False


@admin.action(description=gettext_lazy("Publish the selected inputs"))
def publish_inputs(modeladmin, request, queryset):
    done = 0
    for item in queryset.filter(status=ModerationStatus.PENDING):
        services.input_publish(input=item, moderator=request.user)
        done += 1
    messages.success(
        request, ngettext("Published %(n)s input.", "Published %(n)s inputs.", done) % {"n": done}
    )


@admin.action(description=gettext_lazy("Move the selected inputs into a new argument"))
def split_inputs(modeladmin, request, queryset):
    by_argument: dict[int, list[Input]] = {}
    for item in queryset.exclude(argument=None):
        by_argument.setdefault(item.argument_id, []).append(item)
    for argument_id, items in by_argument.items():
        services.argument_split(
            argument=Argument.objects.get(pk=argument_id), inputs=items, decided_by=request.user
        )
    messages.success(request, gettext_lazy("Moved into new arguments; the machine keeps that."))


@admin.action(description=gettext_lazy("Confirm the selected arguments"))
def confirm_arguments(modeladmin, request, queryset):
    for argument in queryset:
        services.argument_confirm(argument=argument, decided_by=request.user)


@admin.action(
    description=gettext_lazy("Merge the selected arguments (into the one with most inputs)")
)
def merge_arguments(modeladmin, request, queryset):
    ordered = sorted(queryset, key=lambda a: (-a.inputs.count(), a.pk))
    if len(ordered) > 1:
        services.argument_merge(target=ordered[0], others=ordered[1:], decided_by=request.user)


class DecisionInline(ReadOnlyMixin, admin.TabularInline):
    model = ArgumentDecision


@admin.register(Argument)
class ArgumentAdmin(SimpleHistoryAdmin):
    """Officers rename here and confirm or merge with the actions; splitting is an action on
    inputs. Every change goes through inputbank.services.arguments (kept, pinned, audited)."""

    list_display = ("id", "title", "confirmed", "updated_at")
    list_filter = ("confirmed", "themes")
    search_fields = ("title", "text")
    fields = ("title", "text", "confirmed", "titled_by_officer", "created_at", "updated_at")
    readonly_fields = ("text", "confirmed", "titled_by_officer", "created_at", "updated_at")
    inlines = [DecisionInline]
    actions = [confirm_arguments, merge_arguments]

    def has_add_permission(self, request):
        return False  # arguments are formed by matching and by splitting

    def revert_disabled(self, request, obj=None):
        return True

    def save_model(self, request, obj, form, change):
        if "title" in form.changed_data:
            services.argument_rename(
                argument=obj, title=form.cleaned_data["title"], decided_by=request.user
            )


# Form fields that input_update takes under the same name; the case number is one argument.
_INPUT_EDITS = (
    "text",
    "public_text",
    "geom",
    "location_source",
    "location_description",
    "themes",
    "process",
    "channel",
    "language",
    "received_at",
    "source_group",
)
_CASE_FIELDS = ("case_year", "case_sequence", "case_document")


class InputAdminForm(forms.ModelForm):
    def _get_validation_exclusions(self):
        # The geometry's constraints are left to input_update (it sets the location source to
        # match) and to PostGIS: Django's Python copy of ST_IsValid fails on an emptied map.
        return {*super()._get_validation_exclusions(), "geom"}


@admin.register(Input)
class InputAdmin(MapAdmin, SimpleHistoryAdmin):
    form = InputAdminForm
    list_display = ("public_id", "status", "channel", "received_at", "process", "language")
    list_filter = ("status", "channel", "location_source", "process", "themes")
    search_fields = ("public_text", "=public_id")
    date_hierarchy = "received_at"
    raw_id_fields = ("process",)
    filter_horizontal = ("themes",)
    # Moderation (status, its reason and trail) is the moderators' (queue, API, the action
    # below); who sent it and whether the place is hidden are set when the input arrives.
    readonly_fields = (
        "public_id",
        "status",
        "rejection_reason",
        "moderated_by",
        "moderated_at",
        "published_at",
        "contributor",
        "registered_by",
        "location_restricted",
        # Arguments change only through their services (the actions here and on arguments).
        "argument",
        "argument_pinned",
        "argument_reason",
        "created_at",
        "updated_at",
    )
    inlines = [ResponseInline, AttachmentInline]
    actions = [publish_inputs, split_inputs]
    list_select_related = ("process",)

    def has_add_permission(self, request):
        # Input arrives from residents (API), case officers (register page) or the importer.
        return False

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        changes = {name: data[name] for name in form.changed_data if name in _INPUT_EDITS}
        if any(name in form.changed_data for name in _CASE_FIELDS):
            year, sequence = data.get("case_year"), data.get("case_sequence")
            changes["case_ref"] = (
                CaseRef(year, sequence, data.get("case_document")) if year and sequence else None
            )
        services.input_update(input=obj, changed_by=request.user, **changes)


@admin.register(Contributor)
class ContributorAdmin(admin.ModelAdmin):
    list_display = ("id", "name", "organisation", "wants_feedback", "created_at")
    search_fields = ("name", "email", "organisation")


@admin.register(Response)
class ResponseAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    """Responses are given with ``response_answer`` (staff page, API): it e-mails the sender."""

    list_display = ("input", "outcome", "stage", "decided_at")
    list_filter = ("outcome", "stage")

    def has_delete_permission(self, request, obj=None):
        return False


@admin.action(description=gettext_lazy("Publish the selected comments"))
def publish_comments(modeladmin, request, queryset):
    done = 0
    for comment in queryset.filter(status=ModerationStatus.PENDING):
        services.comment_publish(comment=comment, moderator=request.user)
        done += 1
    messages.success(
        request,
        ngettext("Published %(n)s comment.", "Published %(n)s comments.", done) % {"n": done},
    )


@admin.register(Comment)
class CommentAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    """Comments are moderated on the staff page or the API; publishing is an action here."""

    list_display = ("id", "input", "status", "created_at")
    list_filter = ("status",)
    actions = [publish_comments]


@admin.register(Support)
class SupportAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Supports are counted by ``support_add`` (published input only); spam can be deleted."""

    list_display = ("input", "created_at")
    raw_id_fields = ("input",)


# User accounts, role groups and the audit trail: inputbank/admin/accounts.py.
from inputbank.admin import accounts  # noqa: E402, F401 - registers those admins
