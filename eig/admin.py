from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from eig import notifications, reminders
from eig.models import FaqEntry, OutboxMessage, Person, Promotion, RoleGrant, Skill, User
from eig.text import clean_html


class RoleGrantInline(admin.TabularInline):
    model = RoleGrant
    extra = 0
    autocomplete_fields = ["promotion"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff", "is_active", "date_joined"]
    list_filter = ["is_staff", "is_active", "role_grants__role"]
    search_fields = ["email", "first_name", "last_name"]
    inlines = [RoleGrantInline]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Identité"), {"fields": ("first_name", "last_name", "preferred_language")}),
        (_("Rappels"), {"fields": ("receives_optional_reminders",)}),
        (_("Droits"), {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


@admin.register(Promotion)
class PromotionAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "year", "starts_on", "ends_on"]
    search_fields = ["name", "code"]


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    list_display = ["label", "key"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["full_name", "profile", "user"]
    search_fields = ["full_name", "user__email"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]


@admin.register(FaqEntry)
class FaqEntryAdmin(SimpleHistoryAdmin):
    """Staff write the FAQ in force here; every change is kept (History)."""

    list_display = ["question", "audience", "position", "archive_year"]
    list_filter = ["audience", "archive_year"]
    search_fields = ["question"]
    ordering = ["archive_year", "audience", "position"]

    def save_model(self, request, obj, form, change):
        # The answer is shown as HTML: keep only links and basic formatting.
        obj.answer_html = clean_html(obj.answer_html)
        super().save_model(request, obj, form, change)


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "event",
        "to_email",
        "subject",
        "status",
        "essential",
        "attempts",
        "attempted_at",
        "sent_at",
    ]
    list_filter = ["status", "event", "essential", ("created_at", admin.DateFieldListFilter)]
    search_fields = ["to_email", "subject", "idempotency_key"]
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in OutboxMessage._meta.fields]
    actions = ["resend_selected", "cancel_selected", "mark_received_selected"]
    change_list_template = "admin/eig/outboxmessage/change_list.html"

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        preview = self.admin_site.admin_view(self.preview_view)
        return [path("apercu/", preview, name="eig_outboxmessage_preview"), *super().get_urls()]

    def preview_view(self, request):
        """Dry run: what the next sweep would create and hand to the workers."""
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Aperçu du prochain passage"),
            "reminders": list(reminders.pending_reminders())[:500],
            "due_rows": OutboxMessage.objects.filter(
                pk__in=notifications.due_for_sending(limit=500)
            ),
            "catalogue": notifications.catalogue(),
        }
        return TemplateResponse(request, "admin/eig/outboxmessage/preview.html", context)

    @admin.action(
        description=_("Renvoyer les emails sélectionnés (en échec, annulés ou incertains)")
    )
    def resend_selected(self, request, queryset):
        # Never what is sent or being sent; nor an email whose text was erased (personal
        # data): it has nothing left to send.
        rows = list(
            queryset.exclude(
                status__in=[OutboxMessage.Status.SENT, OutboxMessage.Status.SENDING]
            ).exclude(body_text="")
        )
        for row in rows:
            notifications.resend(row)
        self.message_user(request, _("%(n)d email(s) remis en file d'envoi.") % {"n": len(rows)})

    @admin.action(description=_("Annuler les emails sélectionnés encore en attente"))
    def cancel_selected(self, request, queryset):
        count = queryset.filter(
            status__in=[OutboxMessage.Status.PENDING, OutboxMessage.Status.UNCERTAIN]
        ).update(status=OutboxMessage.Status.CANCELLED, last_error=_("annulé par l'équipe"))
        self.message_user(request, _("%(n)d email(s) annulé(s).") % {"n": count})

    @admin.action(description=_("Marquer comme reçus les emails incertains sélectionnés"))
    def mark_received_selected(self, request, queryset):
        # Staff checked with the recipient or the mail server's log (same Message-ID).
        count = queryset.filter(status=OutboxMessage.Status.UNCERTAIN).update(
            status=OutboxMessage.Status.SENT, last_error=_("reçu, confirmé par l'équipe")
        )
        self.message_user(request, _("%(n)d email(s) marqué(s) comme reçu(s).") % {"n": count})


class StatusLogAdmin(admin.ModelAdmin):
    """A state machine's log (`eig.models.StatusLog`): read, never written by hand."""

    list_filter = ["target"]

    def get_list_display(self, request):
        return [self.model.subject, "source", "target", "by", "at", "reason"]

    def get_readonly_fields(self, request, obj=None):
        return self.get_list_display(request)

    def has_add_permission(self, request):
        return False
