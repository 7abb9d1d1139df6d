"""The candidate's screens of the call for applications.

A candidate only ever reaches their own application: it is found from the
logged-in user and the current call, never from an id in the URL.
"""

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from applications import services
from applications.candidate import services as services_candidate
from applications.candidate.forms import (
    ApplicationForm,
    EligibilityForm,
    ErasureForm,
    WithdrawApplicationForm,
)
from applications.interviews import services as interviews
from applications.models import Application, Phase
from eig.accounts import NameRequiredMixin
from eig.files import attachment_response
from eig.permissions import PermissionRequiredMixin, PostOnlyMixin, may

TEMPLATES = "applications/candidate/"
PROGRAMME_EMAIL = "eig@numerique.gouv.fr"


class CurrentCallMixin:
    @cached_property
    def call(self):
        return services.current_call()

    @cached_property
    def application(self):
        return services_candidate.application_of(user=self.request.user, call=self.call)


class ApplyHomeView(CurrentCallMixin, TemplateView):
    """The current call: its calendar, its challenges, who may apply, what happens to the data."""

    template_name = TEMPLATES + "home.html"

    def get_context_data(self, **kwargs):
        call = self.call
        challenges = []
        if call is not None:
            challenges = call.challenges().select_related("promotion", "administration")
        return super().get_context_data(
            call=call,
            phase=call.phase() if call else None,
            Phase=Phase,
            challenges=challenges.order_by("title") if call else [],
            application=self.application,
            programme_email=PROGRAMME_EMAIL,
            **kwargs,
        )


class EligibilityView(NameRequiredMixin, CurrentCallMixin, PermissionRequiredMixin, TemplateView):
    """Two questions before anything is created; an ineligible person is told why."""

    template_name = TEMPLATES + "eligibility.html"
    permission_required = "applications.apply"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and self.application is not None:
            return redirect("applications:application_edit")
        return super().dispatch(request, *args, **kwargs)

    def is_open(self):
        return self.call is not None and self.call.accepts_applications()

    def post(self, request, *args, **kwargs):
        form = EligibilityForm(request.POST)
        if not self.is_open():
            return self.render_to_response(self.get_context_data(form=form), status=403)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        try:
            services.start_application(
                call=self.call,
                candidate=request.user,
                studies_completed=form.cleaned_data["studies_completed"],
                is_civil_servant=form.cleaned_data["is_civil_servant"],
            )
        except services.DeadlinePassed:
            return self.render_to_response(self.get_context_data(form=form), status=403)
        except ValidationError as error:
            return self.render_to_response(self.get_context_data(form=form, reasons=error.messages))
        messages.success(
            request, _("Vous pouvez candidater : complétez votre dossier puis envoyez-le.")
        )
        return redirect("applications:application_edit")

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", EligibilityForm())
        return super().get_context_data(
            call=self.call, is_open=self.is_open(), programme_email=PROGRAMME_EMAIL, **kwargs
        )


class OwnApplicationMixin(CurrentCallMixin, PermissionRequiredMixin):
    """The logged-in candidate's application to the current call, or the eligibility step."""

    permission_required = "applications.view_application"

    def get_permission_object(self):
        return self.application

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and self.application is None:
            return self.without_application()
        return super().dispatch(request, *args, **kwargs)

    def without_application(self):
        return redirect("applications:apply_eligibility")


CV_NOT_STORED = _(
    "Votre CV n’a pas pu être enregistré : le stockage des fichiers est momentanément "
    "indisponible. Le reste de votre candidature est enregistré ; déposez votre CV à "
    "nouveau un peu plus tard."
)


class ApplicationEditView(NameRequiredMixin, OwnApplicationMixin, TemplateView):
    """The file, editable until the deadline; read-only after it, even by POST."""

    template_name = TEMPLATES + "application.html"

    def refuse_after_the_deadline(self):
        """After the deadline (or once withdrawn) a POST changes nothing: 403, and the reason."""
        if may(self.request.user, "applications.edit_application", self.application):
            return None
        return self.render_to_response(self.get_context_data(), status=403)

    def post(self, request, *args, **kwargs):
        if refused := self.refuse_after_the_deadline():
            return refused
        form = ApplicationForm(request.POST, request.FILES, application=self.application)
        if not self.save(form):
            return self.render_to_response(self.get_context_data(form=form))
        messages.success(
            request,
            _("Vos modifications sont enregistrées. Votre candidature reste envoyée.")
            if self.application.status == Application.Status.SUBMITTED
            else _("Votre brouillon est enregistré."),
        )
        return redirect("applications:application_edit")

    def save(self, form):
        if not form.is_valid():
            self.keep_cv(form)
            return False
        try:
            try:
                self.store(form, cv=form.cleaned_data["cv"])
            except OSError:
                # The media volume is read-only or full: keep the rest, ask for the CV later.
                self.store(form, cv=None)
                form.add_error("cv", CV_NOT_STORED)
                return False
        except ValidationError as error:
            form.add_error(None, error)
            return False
        return True

    def keep_cv(self, form):
        """A draft keeps a good CV even when another field is wrong (nothing else is saved)."""
        cv = form.valid_cv()
        if not cv:
            return
        try:
            form.cv_kept = services_candidate.keep_cv(application=self.application, cv=cv)
        except OSError:
            form.cv_kept = False  # the storage is unavailable: the page asks for the file again

    def store(self, form, *, cv):
        services_candidate.save_application(
            application=self.application, data=form.file_data(), cv=cv, choices=form.choices()
        )

    def get_context_data(self, **kwargs):
        application = self.application
        read_only_reason = ""
        if not may(self.request.user, "applications.edit_application", application):
            try:
                services.ensure_editable(application)
            except PermissionDenied as reason:
                read_only_reason = str(reason)
        if not read_only_reason:
            kwargs.setdefault("form", ApplicationForm(application=application))
            kwargs.setdefault("withdraw_form", WithdrawApplicationForm())
        form = kwargs.get("form")
        return super().get_context_data(
            application=application,
            call=application.call,
            summary=services_candidate.view_for_candidate(application),
            read_only_reason=read_only_reason,
            cv_lost=bool(
                form is not None
                and form.is_bound
                and form.files.get("cv")
                and not getattr(form, "cv_kept", False)
            ),
            cv_kept=getattr(form, "cv_kept", False),
            programme_email=PROGRAMME_EMAIL,
            **kwargs,
        )


class ApplicationSubmitView(PostOnlyMixin, ApplicationEditView):
    """Send the application, saving what the form holds first; a second send sends nothing new."""

    def post(self, request, *args, **kwargs):
        if refused := self.refuse_after_the_deadline():
            return refused
        with_form = ApplicationForm.posted_in(request.POST)
        if with_form:
            form = ApplicationForm(request.POST, request.FILES, application=self.application)
            if not self.save(form):
                return self.render_to_response(self.get_context_data(form=form))
        already_sent = self.application.status == Application.Status.SUBMITTED
        try:
            services.set_application_status(
                application=self.application, to=Application.Status.SUBMITTED, by=request.user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("applications:application_edit")
        if already_sent and with_form:
            messages.success(
                request, _("Votre candidature est envoyée. Vos modifications sont enregistrées.")
            )
        elif already_sent:
            messages.success(request, _("Votre candidature est envoyée."))
        else:
            messages.success(
                request,
                _("Votre candidature est envoyée. Un email de confirmation vous est adressé."),
            )
        return redirect("applications:candidate_dashboard")


class ApplicationWithdrawView(PostOnlyMixin, ApplicationEditView):
    """The candidate withdraws before the deadline; the application will not be examined."""

    def post(self, request, *args, **kwargs):
        if self.application.status == Application.Status.WITHDRAWN:
            if self.application.call.accepts_applications():  # a second click changes nothing
                messages.info(request, _("Votre candidature est déjà retirée."))
                return redirect("applications:candidate_dashboard")
        if refused := self.refuse_after_the_deadline():
            return refused
        confirmation = WithdrawApplicationForm(request.POST)
        if not confirmation.is_valid():
            return self.render_to_response(self.get_context_data(withdraw_form=confirmation))
        services.set_application_status(
            application=self.application, to=Application.Status.WITHDRAWN, by=request.user
        )
        messages.success(
            request,
            _("Votre candidature est retirée. Un email de confirmation vous est adressé."),
        )
        return redirect("applications:candidate_dashboard")


class CvDownloadView(OwnApplicationMixin, View):
    """The candidate's own CV, as a download."""

    def without_application(self):
        raise Http404

    def get(self, request, *args, **kwargs):
        if not self.application.cv:
            raise Http404
        return attachment_response(self.application.cv, f"cv-{request.user.last_name or 'eig'}")


class InterviewCalendarView(OwnApplicationMixin, View):
    """The candidate's interview for their choice of this rank, as a file for their calendar
    (the same UID as the emailed invitation: adding it twice keeps one entry)."""

    def without_application(self):
        raise Http404

    def get(self, request, *args, **kwargs):
        view = services_candidate.view_for_candidate(self.application)
        slot = next(
            (c.interview for c in view.interviews if c.rank == kwargs["rank"] and c.interview),
            None,
        )
        if slot is None:
            raise Http404
        response = HttpResponse(
            interviews.interview_ics(slot, attendee=request.user),
            content_type="text/calendar; charset=utf-8",
        )
        response["Content-Disposition"] = 'attachment; filename="entretien-eig.ics"'
        response["Cache-Control"] = "private, no-store"
        return response


def offer_url(offer):
    """Where the candidate answers an offer (a screen of the interviews and offers stage)."""
    try:
        return reverse("applications:offer_answer", kwargs={"offer_pk": offer.pk})
    except NoReverseMatch:
        return f"{reverse('applications:apply_home')}offre/{offer.pk}/"


class CandidateDashboardView(
    NameRequiredMixin, CurrentCallMixin, PermissionRequiredMixin, TemplateView
):
    """Where each of the candidate's applications stands; no decision before publication."""

    template_name = TEMPLATES + "dashboard.html"
    permission_required = "eig.view_own_space"

    def get_context_data(self, **kwargs):
        applications = services_candidate.followed_applications(user=self.request.user)
        views = [services_candidate.view_for_candidate(a) for a in applications]
        for choice in (choice for view in views for choice in view.choices):
            if choice.offer is not None:
                choice.offer_url = offer_url(choice.offer)
        return super().get_context_data(
            # Only told apart from the applications' calls, which are read in full.
            current_call_pk=services.current_call_pk(),
            applications=views,
            now=timezone.now(),
            programme_email=PROGRAMME_EMAIL,
            **kwargs,
        )


class DataExportView(PermissionRequiredMixin, View):
    """Everything the candidate gave the programme, and where it stands, as a JSON file."""

    permission_required = "eig.view_own_space"

    def get(self, request, *args, **kwargs):
        data = services_candidate.export_candidate_data(user=request.user)
        response = HttpResponse(
            json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = 'attachment; filename="mes-donnees-eig.json"'
        response["Cache-Control"] = "private, no-store"
        return response


class ErasureView(PermissionRequiredMixin, TemplateView):
    """What an erasure request erases and what it keeps, and why; a confirmed POST carries it out."""

    template_name = TEMPLATES + "erasure.html"
    permission_required = "eig.view_own_space"

    def post(self, request, *args, **kwargs):
        form = ErasureForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        plan = services_candidate.request_erasure(user=request.user)
        if plan.erased:
            messages.success(
                request,
                _(
                    "Vos données de candidature sont effacées : CV, lettre de motivation, "
                    "motivations et liens. Votre compte reste ouvert. Un email vous le confirme."
                ),
            )
        else:
            messages.info(request, _("Aucune donnée de candidature n’était à effacer."))
        return redirect("applications:candidate_dashboard")

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", ErasureForm())
        return super().get_context_data(
            plan=services_candidate.erasure_plan(user=self.request.user),
            programme_email=PROGRAMME_EMAIL,
            **kwargs,
        )
