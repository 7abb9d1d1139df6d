from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Spaces a role does not guarantee (a mentor reviews only while a challenge is under review):
# a link to a refused page is a dead end, so each one is asked of the rules.
SPACES = {
    "review": "applications.open_review_space",
    "project_jury": "challenges.view_jury_space",
    "interview_jury": "applications.view_interview_jury_space",
}


def dashboard_section(user, role_codes):
    """Applications, juries and the alumni network: only the spaces the person may open."""
    from challenges.models import AdministrationContact
    from cohorts.models import Team
    from eig.permissions import may

    # The teams hosted by the person's administrations: what the handover tells them.
    host_teams = Team.objects.filter(
        challenge__administration__contacts__user=user,
        challenge__administration__contacts__status=AdministrationContact.Status.ACTIVE,
        members__isnull=False,
    ).distinct()
    return {
        "may_open": {space: may(user, permission) for space, permission in SPACES.items()},
        "host_teams": list(host_teams.select_related("challenge").order_by("-pk")[:5]),
    }


def _administration_aliases():
    from cohorts.history import read_aliases

    return read_aliases().items()


class CohortsConfig(AppConfig):
    name = "cohorts"
    verbose_name = _("Promotion et alumni")

    def ready(self):
        from challenges.administration.names import register_aliases
        from challenges.models import (
            Administration,
            CallForProjects,
            Challenge,
            ChallengeMentor,
            KeyFigure,
        )
        from cohorts import receivers  # noqa: F401 — connects the receivers
        from cohorts.alumni import notifications as notifications_alumni
        from cohorts.alumni import services as services_alumni
        from cohorts.models import (
            CoachingEvent,
            FollowUpSurvey,
            OpenedDataset,
            PartnerSurvey,
            Team,
            TeamMember,
        )
        from cohorts.promotion import services as services_promotion
        from eig import dashboard, jury_pool, public_cache, reminders
        from eig.models import Person, Promotion, Skill
        from eig.notifications import cancel_on_delete

        dashboard.register(
            dashboard.Section(30, "cohorts/dashboard_section.html", dashboard_section)
        )
        # The jury screens (challenges, applications) offer the alumni available for a jury.
        jury_pool.register(services_alumni.available_for_jury)
        reminders.register(*notifications_alumni.REMINDERS, *services_promotion.REMINDERS)
        # The importer's reviewed name variants also catch a copy registered by hand.
        register_aliases(_administration_aliases)
        for model in (FollowUpSurvey, PartnerSurvey, CoachingEvent):
            cancel_on_delete(model)
        # What the public impact figures and challenge sheets read: a change to any of them
        # (a staff action, a team's deliverables, a call's results published by hand)
        # makes those pages stale on every node. Bulk writes call `public_cache.stale()`.
        public_cache.invalidated_by(
            Administration,
            CallForProjects,
            Challenge,
            ChallengeMentor,
            KeyFigure,
            Promotion,
            Person,
            Skill,
            Team,
            TeamMember,
            OpenedDataset,
            FollowUpSurvey,
            PartnerSurvey,
        )
