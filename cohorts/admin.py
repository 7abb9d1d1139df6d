from django.contrib import admin
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from cohorts.alumni import admin as admin_alumni  # noqa: F401 — register their admin
from cohorts.handbook import admin as admin_handbook  # noqa: F401 — register its admin
from cohorts.models import Team, TeamMember
from cohorts.promotion import admin as admin_promotion  # noqa: F401 — register their admin


class TeamMemberInline(admin.TabularInline):
    """Each EIG of the team with their contract with the host administration."""

    model = TeamMember
    extra = 0
    autocomplete_fields = ["person"]
    fields = [
        "person",
        "position",
        "starts_on",
        "contract_status",
        "contract_sent_on",
        "contract_signed_on",
    ]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["challenge", "promotion", "contracts", "handed_over_at"]
    list_select_related = ["challenge__promotion"]
    list_filter = ["challenge__promotion", "members__contract_status"]
    search_fields = ["challenge__title"]
    autocomplete_fields = ["challenge"]
    readonly_fields = ["handed_over_at"]
    inlines = [TeamMemberInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                eig_count=Count("members", distinct=True),
                signed_count=Count(
                    "members",
                    filter=Q(members__contract_status=TeamMember.Contract.SIGNED),
                    distinct=True,
                ),
            )
        )

    @admin.display(description=_("contrats signés"))
    def contracts(self, team):
        return f"{team.signed_count}/{team.eig_count}"

    @admin.display(description="promotion", ordering="challenge__promotion__year")
    def promotion(self, team):
        return team.challenge.promotion
