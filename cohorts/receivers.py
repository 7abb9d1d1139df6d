"""What the promotion hears from the call for applications."""

from django.dispatch import receiver

from applications.models import Offer
from applications.signals import offer_accepted
from cohorts import services
from cohorts.promotion import handover as services_handover
from eig.models import Person


@receiver(offer_accepted, sender=Offer)
def an_accepted_offer_makes_an_eig(sender, offer, **kwargs):
    """The candidate joins the team of the challenge in its promotion, with an onboarding
    checklist and the profile of their application; a complete team goes to its administration."""
    choice = offer.choice
    application = choice.application
    person = Person.of_account(application.candidate)
    services_handover.profile_from_application(person=person, application=application)
    team = services.team_of_challenge(choice.challenge)
    member = services.join_team(person=person, team=team)
    if member.starts_on is None:
        member.starts_on = application.call.promotion_starts_on
        member.save(update_fields=["starts_on"])
    services_handover.hand_over_if_complete(team)
