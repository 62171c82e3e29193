"""Django admin for every model. Writes that have domain rules go through services, so the
admin offers moderation and responses as actions that call them; plain edits are for fixes."""

from django.contrib import admin, messages
from django.contrib.gis import admin as gis_admin
from modeltranslation.admin import TranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from geo.crs import MOSS_CENTRE_LONLAT
from inputbank import services
from inputbank.models import (
    Attachment,
    Comment,
    Contributor,
    Input,
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


@admin.register(Theme)
class ThemeAdmin(TranslationAdmin, SimpleHistoryAdmin):
    list_display = ("name", "slug", "parent", "colour", "active", "sort_order")
    list_filter = ("active", "parent")
    search_fields = ("slug", "name")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Process)
class ProcessAdmin(TranslationAdmin, MapAdmin, SimpleHistoryAdmin):
    list_display = ("title", "status", "ladder_step", "opens_on", "closes_on", "case_number")
    list_filter = ("status", "ladder_step", "owner_department")
    search_fields = ("title", "slug", "plan_identifier")
    date_hierarchy = "opens_on"


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0
    readonly_fields = ("original_name", "content_type", "size_bytes", "created_at")


class ResponseInline(admin.StackedInline):
    model = Response
    extra = 0
    readonly_fields = ("created_at", "updated_at")


@admin.action(description="Publish the selected inputs")
def publish_inputs(modeladmin, request, queryset):
    done = 0
    for item in queryset.filter(status="pending"):
        services.input_publish(input=item, moderator=request.user)
        done += 1
    messages.success(request, f"Published {done} input(s).")


@admin.register(Input)
class InputAdmin(MapAdmin, SimpleHistoryAdmin):
    list_display = ("public_id", "status", "channel", "received_at", "process", "language")
    list_filter = ("status", "channel", "location_source", "process", "themes")
    search_fields = ("public_text", "=public_id")
    date_hierarchy = "received_at"
    raw_id_fields = ("contributor", "process")
    filter_horizontal = ("themes",)
    readonly_fields = ("public_id", "created_at", "updated_at", "published_at", "moderated_at")
    inlines = [ResponseInline, AttachmentInline]
    actions = [publish_inputs]
    list_select_related = ("process",)


@admin.register(Contributor)
class ContributorAdmin(admin.ModelAdmin):
    list_display = ("id", "name", "organisation", "wants_feedback", "created_at")
    search_fields = ("name", "email", "organisation")


@admin.register(Response)
class ResponseAdmin(SimpleHistoryAdmin):
    list_display = ("input", "outcome", "stage", "decided_at")
    list_filter = ("outcome", "stage")
    raw_id_fields = ("input",)


@admin.register(Comment)
class CommentAdmin(SimpleHistoryAdmin):
    list_display = ("id", "input", "status", "created_at")
    list_filter = ("status",)
    raw_id_fields = ("input", "contributor")


@admin.register(Support)
class SupportAdmin(admin.ModelAdmin):
    list_display = ("input", "created_at")
    raw_id_fields = ("input",)
