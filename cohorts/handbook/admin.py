"""Staff write and edit the handbook in the admin; each edit is kept (History button)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from cohorts.models import HandbookPage


@admin.register(HandbookPage)
class HandbookPageAdmin(SimpleHistoryAdmin):
    list_display = ["title", "stage", "position", "is_public", "updated_at"]
    list_filter = ["stage", "is_public"]
    list_editable = ["position", "is_public"]
    search_fields = ["title", "body_markdown", "title_en", "body_markdown_en"]
    prepopulated_fields = {"slug": ["title"]}
    fieldsets = [
        (None, {"fields": ["stage", "title", "slug", "position", "is_public", "body_markdown"]}),
        ("English", {"fields": ["title_en", "body_markdown_en"]}),
    ]
