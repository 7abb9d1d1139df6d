"""What the promotion hears from the call for applications."""

from django.dispatch import receiver

from applications.models import Offer
from applications.signals import offer_accepted
from cohorts import services
from eig.models import Person


@receiver(offer_accepted, sender=Offer)
def an_accepted_offer_makes_an_eig(sender, offer, **kwargs):
    """The candidate joins the team of the challenge in its promotion, with an onboarding checklist."""
    choice = offer.choice
    person = Person.of_account(choice.application.candidate)
    services.join_team(person=person, team=services.team_of_challenge(choice.challenge))
