from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from mentoring.models import MentorNote, UpdateComment, UpdateSharing, WeeklyUpdate


class UpdateCommentInline(admin.TabularInline):
    model = UpdateComment
    extra = 0
    raw_id_fields = ["author"]


@admin.register(WeeklyUpdate)
class WeeklyUpdateAdmin(SimpleHistoryAdmin):
    list_display = ["team", "promotion", "week", "spirit", "asks_for_help", "help_handled_at"]
    list_filter = ["team__challenge__promotion", "week", "spirit"]
    list_select_related = ["team__challenge__promotion"]
    search_fields = ["team__challenge__title", "priorities", "victories", "help_needed"]
    date_hierarchy = "week"
    raw_id_fields = ["team", "author", "edited_by", "help_handled_by"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [UpdateCommentInline]

    @admin.display(description=_("promotion"), ordering="team__challenge__promotion__year")
    def promotion(self, update):
        return update.team.challenge.promotion

    @admin.display(description=_("demande d’aide"), boolean=True)
    def asks_for_help(self, update):
        return bool(update.help_needed)


@admin.register(UpdateComment)
class UpdateCommentAdmin(admin.ModelAdmin):
    list_display = ["update", "author", "created_at"]
    list_filter = ["update__team__challenge__promotion"]
    list_select_related = ["update__team__challenge", "author"]
    search_fields = ["text", "update__team__challenge__title", "author__email"]
    raw_id_fields = ["update", "author"]


@admin.register(MentorNote)
class MentorNoteAdmin(admin.ModelAdmin):
    list_display = ["team", "author", "created_at"]
    list_filter = ["team__challenge__promotion"]
    list_select_related = ["team__challenge", "author"]
    search_fields = ["text", "team__challenge__title", "author__email"]
    raw_id_fields = ["team", "author"]


@admin.register(UpdateSharing)
class UpdateSharingAdmin(admin.ModelAdmin):
    list_display = ["promotion", "shared"]
    list_editable = ["shared"]
