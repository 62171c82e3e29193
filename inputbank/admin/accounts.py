"""Admin for user accounts, role groups and the audit trail.

Who may do what is decided by role groups, so a change to an account or a group is as sensitive
as the data behind it: it needs a recent log-in (inputbank/reauth.py) and is written to the
audit trail (``services.audit_record``), with the roles given or taken.
"""

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User

from inputbank import services
from inputbank.models import AuditEvent
from inputbank.reauth import is_recent, reauth_redirect


class SensitiveAdminMixin:
    """Adding, changing or deleting accounts and role groups needs a recent log-in
    (inputbank/reauth.py), and each change is recorded (services.audit) with who did it and,
    for users, which roles were given or taken."""

    audit_actions: dict[str, str] = {}

    def _guard(self, request):
        return None if is_recent(request) else reauth_redirect(request)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        return self._guard(request) or super().changeform_view(
            request, object_id, form_url, extra_context
        )

    def delete_view(self, request, object_id, extra_context=None):
        return self._guard(request) or super().delete_view(request, object_id, extra_context)

    def changelist_view(self, request, extra_context=None):
        # Listing is harmless; a bulk action (delete) is a change.
        if request.method == "POST":
            guard = reauth_redirect(request) if not is_recent(request) else None
            if guard:
                return guard
        return super().changelist_view(request, extra_context)

    def _roles(self, obj) -> set[str]:
        return set()

    def _target(self, obj) -> str:
        return f"{self.model._meta.model_name} {obj.pk} ({obj})"

    def save_related(self, request, form, formsets, change):
        before = self._roles(form.instance) if change else set()
        super().save_related(request, form, formsets, change)
        after = self._roles(form.instance)
        request._audit_roles = (before, after)

    def _audit(self, request, obj, action: str, message) -> None:
        before, after = getattr(request, "_audit_roles", (set(), set()))
        detail = {"change": message}
        if before != after:
            detail.update(roles_added=sorted(after - before), roles_removed=sorted(before - after))
        services.audit_record(
            actor=request.user, action=action, target=self._target(obj), detail=detail
        )

    def log_addition(self, request, obj, message):
        entry = super().log_addition(request, obj, message)
        self._audit(request, obj, self.audit_actions["add"], message)
        return entry

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        self._audit(request, obj, self.audit_actions["change"], message)
        return entry

    def log_deletions(self, request, queryset):
        objects = list(queryset)
        result = super().log_deletions(request, objects)
        for obj in objects:
            self._audit(request, obj, self.audit_actions["delete"], "deleted")
        return result


admin.site.unregister(User)
admin.site.unregister(Group)


@admin.register(User)
class AuditedUserAdmin(SensitiveAdminMixin, UserAdmin):
    audit_actions = {
        "add": AuditEvent.Action.USER_ADD,
        "change": AuditEvent.Action.USER_CHANGE,
        "delete": AuditEvent.Action.USER_DELETE,
    }

    def _roles(self, obj) -> set[str]:
        return set(obj.groups.values_list("name", flat=True)) if obj.pk else set()

    def user_change_password(self, request, id, form_url=""):  # noqa: A002 - Django's name
        return self._guard(request) or super().user_change_password(request, id, form_url)


@admin.register(Group)
class AuditedGroupAdmin(SensitiveAdminMixin, GroupAdmin):
    audit_actions = {
        "add": AuditEvent.Action.GROUP_ADD,
        "change": AuditEvent.Action.GROUP_CHANGE,
        "delete": AuditEvent.Action.GROUP_DELETE,
    }


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """The audit trail: read it here; nobody adds, edits or deletes a line."""

    list_display = ("at", "actor_name", "action", "target")
    list_filter = ("action",)
    search_fields = ("actor_name", "target")
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
