from django.contrib import admin

from cohorts import admin_alumni, admin_promotion  # noqa: F401 — register their admin
from cohorts.handbook import admin as admin_handbook  # noqa: F401 — register its admin
from cohorts.models import Team, TeamMember


class TeamMemberInline(admin.TabularInline):
    model = TeamMember
    extra = 0
    autocomplete_fields = ["person"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["challenge", "promotion"]
    list_select_related = ["challenge__promotion"]
    list_filter = ["challenge__promotion"]
    search_fields = ["challenge__title"]
    autocomplete_fields = ["challenge"]
    inlines = [TeamMemberInline]

    @admin.display(description="promotion", ordering="challenge__promotion__year")
    def promotion(self, team):
        return team.challenge.promotion
