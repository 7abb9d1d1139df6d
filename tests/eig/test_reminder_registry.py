"""eig.reminders.register: the one registry every stage adds its reminder rules to."""

from applications import reminders as applications_reminders
from applications.decisions import services as services_decisions
from applications.interviews import services as services_interviews
from applications.review import services as services_review
from challenges import reminders as challenges_reminders
from challenges.jury import services as jury
from cohorts.alumni import notifications as notifications_alumni
from cohorts.promotion import services as services_promotion
from eig import reminders
from eig.notifications import Event
from mentoring import reminders as mentoring_reminders


def test_every_stage_rule_is_in_the_sweep_once():
    declared = [
        rule.event
        for module in (
            applications_reminders,
            services_review,
            services_interviews,
            services_decisions,
            challenges_reminders,
            jury,
            notifications_alumni,
            services_promotion,
            mentoring_reminders,
        )
        for rule in module.REMINDERS
    ]
    swept = [rule.event for rule in reminders.RULES]

    assert len(swept) == len(set(swept))
    assert sorted(e.code for e in swept) == sorted(e.code for e in declared)


def test_registering_the_same_rules_twice_adds_nothing(monkeypatch):
    monkeypatch.setattr(reminders, "RULES", [])
    event = Event("tests.reminder", "Rappel de test", audience="personne", when="jamais")
    rule = reminders.Rule(event=event, find=lambda now: [])

    reminders.register(rule)
    reminders.register(rule, reminders.Rule(event=event, find=lambda now: [None]))

    assert reminders.RULES == [rule]
