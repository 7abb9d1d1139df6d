from django.contrib import admin

from challenges.models import Administration, Challenge, ChallengeMentor, KeyFigure


@admin.register(Administration)
class AdministrationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "website"]
    list_filter = ["kind"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["partners"]


class KeyFigureInline(admin.TabularInline):
    model = KeyFigure
    extra = 0


class ChallengeMentorInline(admin.TabularInline):
    model = ChallengeMentor
    extra = 0
    autocomplete_fields = ["person"]


@admin.register(Challenge)
class ChallengeAdmin(admin.ModelAdmin):
    list_display = ["title", "administration", "promotion", "status"]
    list_filter = ["status", "promotion", "administration__kind", "skills"]
    search_fields = ["title", "summary", "administration__name"]
    list_select_related = ["administration", "promotion"]
    autocomplete_fields = ["administration"]
    filter_horizontal = ["skills"]
    inlines = [ChallengeMentorInline, KeyFigureInline]
