"""The administration contact's screens of the call for projects.

Views stay thin: they parse the request, check a `rules` permission, call a
service of challenges.services and render. A challenge an administration does
not edit answers 404 (its existence is nobody else's business); a challenge it
edits but may no longer change answers 403 to a POST.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from challenges import services
from challenges.administration.forms import (
    AdministrationForm,
    ChallengeForm,
    InviteCoeditorForm,
    JoinAdministrationForm,
    MentorFormSet,
    StartChallengeForm,
    WithdrawForm,
    active_administrations_of,
    mentor_rows,
)
from challenges.decisions import services as decisions
from challenges.jury import services as jury
from challenges.models import AdministrationContact, Challenge, ChallengeInvitation, Phase
from eig.files import attachment_response
from eig.permissions import HiddenUnlessPermittedMixin, PermissionRequiredMixin, PostOnlyMixin, may

TEMPLATES = "challenges/administration/"

# DSFR badge of each status, as the administration sees it.
STATUS_BADGES = {
    Challenge.Status.DRAFT: "fr-badge--info",
    Challenge.Status.SUBMITTED: "fr-badge--new",
    Challenge.Status.SHORTLISTED: "fr-badge--success",
    Challenge.Status.DECLINED: "fr-badge--warning",
    Challenge.Status.SELECTED: "fr-badge--success",
    Challenge.Status.WAITLISTED: "fr-badge--new",
    Challenge.Status.NOT_SELECTED: "fr-badge--warning",
    Challenge.Status.WITHDRAWN: "",
    Challenge.Status.COMPLETED: "fr-badge--success",
}


def visible_status(challenge):
    """The status an administration may see (never a decision before it is public)."""
    status = Challenge.Status(services.status_for_administration(challenge))
    return {"value": status.value, "label": status.label, "badge": STATUS_BADGES[status]}


def paris_datetime(value):
    return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")


# --- The call ------------------------------------------------------------------------


class CallForProjectsView(TemplateView):
    """What anyone may read about the current call: dates, phase, criteria."""

    template_name = TEMPLATES + "call_for_projects.html"

    def get_context_data(self, **kwargs):
        call = services.current_call()
        context = {"call": call}
        if call is not None:
            context.update(
                phase=Phase(call.phase()),
                accepts_submissions=call.accepts_submissions(),
                criteria=call.criteria.all(),
            )
        return super().get_context_data(**context, **kwargs)


# --- My administration ---------------------------------------------------------------


class MyAdministrationView(PermissionRequiredMixin, TemplateView):
    """The administrations a user acts for, and how to create or join one."""

    template_name = TEMPLATES + "my_administration.html"
    permission_required = "challenges.submit_challenges"

    def get_context_data(self, create_form=None, join_form=None, **kwargs):
        user = self.request.user
        contacts = list(
            AdministrationContact.objects.filter(user=user)
            .select_related("administration")
            .order_by("administration__name")
        )
        active = [c.administration_id for c in contacts if c.status == c.Status.ACTIVE]
        colleagues = services.contacts_of(active)
        for contact in contacts:
            contact.colleagues = colleagues.get(contact.administration_id, [])
        requests = (
            AdministrationContact.objects.filter(
                administration_id__in=active, status=AdministrationContact.Status.PENDING
            )
            .select_related("user", "administration")
            .order_by("created_at")
        )
        return super().get_context_data(
            contacts=contacts,
            join_requests=requests,
            create_form=create_form or AdministrationForm(prefix="create"),
            join_form=join_form or JoinAdministrationForm(user=user, prefix="join"),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action")
        if action == "create":
            return self.create(request)
        if action == "join":
            return self.join(request)
        return redirect("challenges:my_administration")

    def create(self, request):
        if services.administration_already_registered_by(
            request.user, request.POST.get("create-name", "")
        ):
            return redirect("challenges:my_administration")
        form = AdministrationForm(request.POST, prefix="create")
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(create_form=form))
        try:
            administration = services.create_administration(
                **form.administration_fields(), by=request.user
            )
        except ValidationError as error:
            form.add_error("name", error)
            return self.render_to_response(self.get_context_data(create_form=form))
        if administration.awaiting_validation:
            messages.success(
                request,
                _(
                    "L’administration « %(name)s » est inscrite et vous en êtes le contact. "
                    "L’équipe du programme la valide sous quelques jours ouvrés : vous pouvez "
                    "déjà rédiger vos défis, et les déposer dès qu’elle sera validée (vous "
                    "recevrez un email)."
                )
                % {"name": administration.name},
            )
        else:
            messages.success(
                request,
                _("L’administration « %(name)s » est créée : vous en êtes le contact.")
                % {"name": administration.name},
            )
        return redirect("challenges:my_administration")

    def join(self, request):
        form = JoinAdministrationForm(request.POST, user=request.user, prefix="join")
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(join_form=form))
        administration = form.cleaned_data["administration"]
        try:
            services.request_to_join(administration=administration, by=request.user)
        except ValidationError as refusal:
            messages.error(request, " ".join(refusal.messages))
            return redirect("challenges:my_administration")
        messages.success(
            request,
            _(
                "Votre demande pour rejoindre « %(name)s » est envoyée. Un contact de cette "
                "administration ou l’équipe du programme la validera."
            )
            % {"name": administration.name},
        )
        return redirect("challenges:my_administration")


class JoinRequestMixin(PermissionRequiredMixin):
    """A request to join an administration, answered by its active contacts (or staff)."""

    permission_required = "challenges.manage_administration"

    def get_permission_object(self):
        self.contact = get_object_or_404(
            AdministrationContact.objects.select_related("administration", "user"),
            pk=self.kwargs["pk"],
        )
        return self.contact.administration


class AcceptContactView(PostOnlyMixin, JoinRequestMixin, View):
    """An active contact of an administration accepts a colleague's request."""

    def post(self, request, *args, **kwargs):
        contact = self.contact
        if contact.status == AdministrationContact.Status.ACTIVE:
            messages.info(request, _("Cette demande a déjà été acceptée."))
        else:
            services.accept_contact(contact=contact, by=request.user)
            messages.success(
                request,
                _("%(person)s a rejoint « %(administration)s ».")
                % {"person": contact.user, "administration": contact.administration.name},
            )
        return redirect("challenges:my_administration")


class RefuseContactView(JoinRequestMixin, TemplateView):
    """An active contact refuses a join request: a page says what will happen (GET),
    the refusal is made and the requester told (POST)."""

    template_name = TEMPLATES + "refuse_contact.html"

    def get(self, request, *args, **kwargs):
        if self.contact.status != AdministrationContact.Status.PENDING:
            messages.info(request, _("Cette personne est déjà contact de l’administration."))
            return redirect("challenges:my_administration")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(contact=self.contact, **kwargs)

    def post(self, request, *args, **kwargs):
        contact = self.contact
        try:
            services.refuse_contact(contact=contact, by=request.user)
        except ValidationError as refusal:
            messages.info(request, " ".join(refusal.messages))
            return redirect("challenges:my_administration")
        messages.success(
            request,
            _("La demande de %(email)s est refusée ; un email l’en informe.")
            % {"email": contact.user.email},
        )
        return redirect("challenges:my_administration")


# --- My challenges -------------------------------------------------------------------


class MyChallengesView(PermissionRequiredMixin, TemplateView):
    """The challenges a user edits, and a form to start one."""

    template_name = TEMPLATES + "my_challenges.html"
    permission_required = "challenges.submit_challenges"

    def get_context_data(self, form=None, **kwargs):
        user = self.request.user
        challenges = (
            Challenge.objects.editable_by(user)
            .select_related("call", "administration", "promotion")
            .order_by("-created_at")
        )
        call = services.current_call()
        return super().get_context_data(
            rows=[(challenge, visible_status(challenge)) for challenge in challenges],
            call=call,
            accepts_submissions=call is not None and call.accepts_submissions(),
            has_administration=active_administrations_of(user).exists(),
            form=form or StartChallengeForm(user=user),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        form = StartChallengeForm(request.POST, user=request.user)
        call = services.current_call()
        if call is None:
            messages.error(request, _("Il n’y a pas d’appel à projets en ce moment."))
            return redirect("challenges:my_challenges")
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        try:
            challenge = services.start_challenge(
                call=call,
                administration=form.cleaned_data["administration"],
                title=form.cleaned_data["title"],
                by=request.user,
            )
        except services.DeadlinePassed as refusal:
            messages.error(request, str(refusal))
            return self.render_to_response(self.get_context_data(form=form), status=403)
        messages.success(
            request,
            _("Votre défi est créé. Complétez-le section par section, puis déposez-le."),
        )
        return redirect("challenges:challenge_edit", pk=challenge.pk)


# --- One challenge -------------------------------------------------------------------


class ChallengeMixin(PermissionRequiredMixin):
    """A challenge seen by its editors (and staff). Others get a 404, not a 403.

    `change_permission` is also required for a POST: an editor who may no longer
    change the challenge (after the deadline) gets a 403.
    """

    permission_required = "challenges.view_own_challenge"
    change_permission = None

    def get_permission_object(self):
        if not hasattr(self, "challenge"):
            self.challenge = get_object_or_404(
                Challenge.objects.select_related("call", "administration", "promotion"),
                pk=self.kwargs["pk"],
            )
        return self.challenge

    def get_permission_required(self):
        perms = [self.permission_required]
        if self.request.method == "POST" and self.change_permission:
            perms.append(self.change_permission)
        return perms

    def handle_no_permission(self):
        user = self.request.user
        if user.is_authenticated and not may(user, "challenges.view_own_challenge", self.challenge):
            raise Http404
        return super().handle_no_permission()

    def edit_url(self):
        return reverse("challenges:challenge_edit", kwargs={"pk": self.challenge.pk})


class ChallengeEditView(ChallengeMixin, TemplateView):
    """The challenge form, section by section; read-only once it may not change."""

    template_name = TEMPLATES + "challenge_edit.html"
    change_permission = "challenges.edit_challenge"

    def get(self, request, *args, **kwargs):
        return self.render_page(*self.bind_forms())

    def post(self, request, *args, **kwargs):
        form, mentors = self.bind_forms(request.POST, request.FILES)
        if self.challenge.status != Challenge.Status.DRAFT:
            return self.save_submitted(form, mentors)
        if not self.save_draft(form, mentors):
            messages.error(
                request,
                _(
                    "Certaines informations n’ont pas été enregistrées : corrigez les champs "
                    "signalés. Le reste est enregistré."
                ),
            )
            return self.render_page(form, mentors)
        messages.success(request, _("Votre brouillon est enregistré."))
        return redirect(self.edit_url())

    def save_submitted(self, form, mentors):
        """A submitted challenge is checked as at its submission: all of it is saved, or
        none of it, and it stays submitted and complete."""
        services.ensure_editable(self.challenge)
        form_ok = form.is_valid() and form.require_what_submission_requires()
        mentors_ok = mentors.require_what_submission_requires()
        if not (form_ok and mentors_ok):
            messages.error(
                self.request,
                _(
                    "Vos modifications ne sont pas enregistrées : votre défi est déposé et "
                    "doit rester complet. Corrigez les champs signalés ; le défi reste déposé "
                    "tel qu’il était."
                ),
            )
            self.challenge.refresh_from_db()
            return self.render_page(form, mentors)
        if not self.save_draft(form, mentors):
            messages.error(self.request, _("Corrigez les champs signalés."))
            return self.render_page(form, mentors)
        messages.success(self.request, _("Vos modifications sont enregistrées."))
        return redirect(self.edit_url())

    def bind_forms(self, data=None, files=None):
        form = ChallengeForm(data, files, instance=self.challenge)
        mentors = MentorFormSet(data, prefix="mentors", initial=mentor_rows(self.challenge))
        return form, mentors

    @transaction.atomic
    def save_draft(self, form, mentors):
        """Save whatever is valid; say whether everything was."""
        services.ensure_editable(self.challenge)
        form.full_clean()
        mentors_are_valid = mentors.is_valid()
        form.save_valid_fields()
        if mentors_are_valid:
            mentors.save(self.challenge)
        # Asked after saving: a file the media volume refused is an error of the form too.
        return form.is_valid() and mentors_are_valid

    def render_page(self, form, mentors):
        challenge, user = self.challenge, self.request.user
        can_edit = may(user, "challenges.edit_challenge", challenge)
        status = visible_status(challenge)
        decision = decisions.decision_for_administration(challenge)
        context = self.get_context_data(
            decision=decision,
            audition=None if decision else self.convoked_audition(status),
            heard_at=jury.convoked_audition(challenge) if decision else None,
            awaiting_validation=challenge.administration.awaiting_validation,
            invitations=services.pending_invitations(challenge) if can_edit else [],
            challenge=challenge,
            status=status,
            call=challenge.call,
            can_edit=can_edit,
            read_only_reason=None if can_edit else self.read_only_reason(),
            form=form,
            mentors=mentors,
            missing=services.missing_for_submission(challenge),
            editors=challenge.editors.order_by("last_name", "first_name"),
            invite_form=InviteCoeditorForm(),
            withdraw_form=WithdrawForm(),
            can_download=bool(challenge.pitch_deck)
            and may(user, "challenges.download_pitch_deck", challenge),
        )
        return self.render_to_response(context)

    def convoked_audition(self, status):
        """The audition the administration was convoked to, once it may know it is shortlisted."""
        if status["value"] != Challenge.Status.SHORTLISTED:
            return None
        return jury.convoked_audition(self.challenge)

    def read_only_reason(self):
        try:
            services.ensure_editable(self.challenge)
        except PermissionDenied as refusal:
            return str(refusal)
        return _("Vous consultez ce défi en lecture seule : seuls ses rédacteurs le modifient.")


class ChallengeSubmitView(PostOnlyMixin, ChallengeEditView):
    """Submit: what was just typed in the form is saved first, then the service decides."""

    def post(self, request, *args, **kwargs):
        if "mentors-TOTAL_FORMS" in request.POST:  # sent from the challenge form
            form, mentors = self.bind_forms(request.POST, request.FILES)
            if not self.save_draft(form, mentors):
                messages.error(
                    request,
                    _("Le défi n’est pas déposé : corrigez d’abord les champs signalés."),
                )
                return self.render_page(form, mentors)
        if self.challenge.status == Challenge.Status.SUBMITTED:
            messages.info(request, _("Ce défi est déjà déposé."))
            return redirect(self.edit_url())
        try:
            services.set_challenge_status(
                challenge=self.challenge, to=Challenge.Status.SUBMITTED, by=request.user
            )
        except ValidationError as refusal:
            messages.error(
                request,
                _("Le défi n’est pas encore déposé. %(reason)s")
                % {"reason": " ".join(refusal.messages)},
            )
            return redirect(self.edit_url())
        messages.success(
            request,
            _(
                "Votre défi est déposé. Un email de confirmation avec son résumé vous est "
                "envoyé. Vous pouvez encore le modifier jusqu’au %(deadline)s (heure de Paris)."
            )
            % {"deadline": paris_datetime(self.challenge.call.submission_deadline)},
        )
        return redirect(self.edit_url())


class ChallengeWithdrawView(PostOnlyMixin, ChallengeMixin, View):
    change_permission = "challenges.edit_challenge"

    def post(self, request, *args, **kwargs):
        form = WithdrawForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Cochez la case pour confirmer le retrait du défi."))
            return redirect(self.edit_url())
        try:
            services.set_challenge_status(
                challenge=self.challenge, to=Challenge.Status.WITHDRAWN, by=request.user
            )
        except ValidationError as refusal:
            messages.error(request, " ".join(refusal.messages))
            return redirect(self.edit_url())
        messages.success(request, _("Votre défi est retiré de l’appel à projets."))
        return redirect("challenges:my_challenges")


class ChallengeInviteView(PostOnlyMixin, ChallengeMixin, View):
    change_permission = "challenges.edit_challenge"

    def post(self, request, *args, **kwargs):
        form = InviteCoeditorForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Indiquez une adresse électronique valide."))
            return redirect(self.edit_url())
        try:
            invitation = services.invite_coeditor(
                challenge=self.challenge, email=form.cleaned_data["email"], by=request.user
            )
        except ValidationError as refusal:
            messages.error(request, " ".join(refusal.messages))
            return redirect(self.edit_url())
        messages.success(
            request,
            _("Une invitation à co-rédiger ce défi est envoyée à %(email)s.")
            % {"email": invitation.email},
        )
        return redirect(self.edit_url())


class PitchDeckDownloadView(HiddenUnlessPermittedMixin, ChallengeMixin, View):
    """The pitch deck, to editors, staff and the jury panel that hears the challenge."""

    permission_required = "challenges.download_pitch_deck"

    def get(self, request, *args, **kwargs):
        deck = self.challenge.pitch_deck
        if not deck:
            raise Http404
        try:
            return attachment_response(deck, f"{self.challenge.slug}-presentation.pdf")
        except FileNotFoundError as missing:
            raise Http404 from missing


class InvitationRevokeView(ChallengeMixin, TemplateView):
    """An editor withdraws a pending invitation: GET says what will happen, POST does it."""

    template_name = TEMPLATES + "invitation_revoke.html"
    permission_required = "challenges.manage_coeditors"

    def get_invitation(self):
        return get_object_or_404(
            ChallengeInvitation, pk=self.kwargs["invitation"], challenge=self.challenge
        )

    def get(self, request, *args, **kwargs):
        invitation = self.get_invitation()
        if invitation.accepted_at is not None:
            messages.info(request, _("Cette invitation a déjà été acceptée."))
            return redirect(self.edit_url())
        return self.render_to_response(
            self.get_context_data(challenge=self.challenge, invitation=invitation)
        )

    def post(self, request, *args, **kwargs):
        invitation = self.get_invitation()
        try:
            services.revoke_invitation(invitation=invitation, by=request.user)
        except ValidationError as refusal:
            messages.info(request, " ".join(refusal.messages))
            return redirect(self.edit_url())
        messages.success(
            request,
            _("L’invitation de %(email)s est retirée : son lien ne fonctionne plus.")
            % {"email": invitation.email},
        )
        return redirect(self.edit_url())


class PitchDeckRemoveView(ChallengeMixin, TemplateView):
    """An editor removes the presentation: GET says what will happen, POST deletes it."""

    template_name = TEMPLATES + "pitch_deck_remove.html"
    change_permission = "challenges.edit_challenge"

    def get(self, request, *args, **kwargs):
        if not may(request.user, "challenges.edit_challenge", self.challenge):
            raise PermissionDenied
        if not self.challenge.pitch_deck:
            messages.info(request, _("Ce défi n’a pas de présentation."))
            return redirect(self.edit_url())
        return self.render_to_response(self.get_context_data(challenge=self.challenge))

    def post(self, request, *args, **kwargs):
        services.remove_pitch_deck(challenge=self.challenge, by=request.user)
        messages.success(request, _("La présentation est supprimée."))
        return redirect(self.edit_url())


# --- Invitations ---------------------------------------------------------------------


class InvitationAcceptView(PermissionRequiredMixin, TemplateView):
    """A colleague opens the link of their invitation, then accepts it."""

    template_name = TEMPLATES + "invitation.html"
    permission_required = "challenges.submit_challenges"

    def dispatch(self, request, *args, **kwargs):
        self.invitation = get_object_or_404(
            ChallengeInvitation.objects.select_related(
                "challenge__administration", "challenge__call", "invited_by"
            ),
            token=kwargs["token"],
        )
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        if self.already_editor():
            return redirect("challenges:challenge_edit", pk=self.invitation.challenge_id)
        if not self.invitation.is_valid:
            return self.refuse(_("Cette invitation a expiré ou a déjà été utilisée."))
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if self.already_editor():
            return redirect("challenges:challenge_edit", pk=self.invitation.challenge_id)
        try:
            challenge = services.accept_invitation(invitation=self.invitation, by=request.user)
        except PermissionDenied as refusal:
            return self.refuse(str(refusal))
        messages.success(
            request,
            _("Vous co-rédigez désormais le défi « %(title)s ».") % {"title": challenge.title},
        )
        return redirect("challenges:challenge_edit", pk=challenge.pk)

    def already_editor(self):
        return self.invitation.challenge.editors.filter(pk=self.request.user.pk).exists()

    def refuse(self, reason):
        context = self.get_context_data(refusal=reason)
        return self.render_to_response(context, status=403)

    def get_context_data(self, **kwargs):
        invitation = self.invitation
        return super().get_context_data(
            invitation=invitation,
            challenge=invitation.challenge,
            other_address=self.request.user.email.lower() != invitation.email,
            **kwargs,
        )
