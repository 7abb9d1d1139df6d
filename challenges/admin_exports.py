"""Staff export the challenges' list as it is filtered in the admin, as CSV or XLSX."""

from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from challenges import exports

FORMATS = {
    "csv": ("text/csv; charset=utf-8", exports.as_csv),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        exports.as_xlsx,
    ),
}


def file_response(challenges, fmt):
    content_type, build = FORMATS[fmt]
    response = HttpResponse(build(challenges), content_type=content_type)
    day = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="defis-{day}.{fmt}"'
    response["Cache-Control"] = "private, no-store"
    return response


class ChallengeExportAdminMixin:
    """Exports of the list with its filters, search and order (the links carry them),
    and of the challenges ticked in it (an action)."""

    change_list_template = "admin/challenges/challenge/change_list.html"

    def get_urls(self):
        return [
            path(
                "export/<str:fmt>/",
                self.admin_site.admin_view(self.export_view),
                name="challenges_challenge_export_list",
            ),
            *super().get_urls(),
        ]

    def export_view(self, request, fmt):
        if fmt not in FORMATS:
            raise PermissionDenied
        if not self.has_view_permission(request):
            raise PermissionDenied
        try:
            changelist = self.get_changelist_instance(request)
        except IncorrectLookupParameters:
            self.message_user(request, _("Ces filtres ne s’appliquent pas."), messages.ERROR)
            return redirect("admin:challenges_challenge_changelist")
        return file_response(changelist.get_queryset(request), fmt)

    @admin.action(description=_("Exporter les défis cochés (XLSX)"))
    def export_ticked_xlsx(self, request, queryset):
        return file_response(queryset, "xlsx")

    @admin.action(description=_("Exporter les défis cochés (CSV)"))
    def export_ticked_csv(self, request, queryset):
        return file_response(queryset, "csv")
