"""The history import used to give every imported promotion "1 September → 30 June",
dates the record does not hold. Those exact dates are cleared on promotions made of
imported challenges only; dates staff set (any other) stay."""

import datetime

from django.db import migrations


def forget_invented_dates(apps, schema_editor):
    Promotion = apps.get_model("eig", "Promotion")
    Challenge = apps.get_model("challenges", "Challenge")
    from_platform = Challenge.objects.filter(history_key="").values("promotion_id")
    imported = Challenge.objects.exclude(history_key="").values("promotion_id")
    candidates = Promotion.objects.filter(pk__in=imported).exclude(pk__in=from_platform)
    for promotion in candidates.filter(starts_on__isnull=False, ends_on__isnull=False):
        invented = (
            datetime.date(promotion.year, 9, 1),
            datetime.date(promotion.year + 1, 6, 30),
        )
        if (promotion.starts_on, promotion.ends_on) == invented:
            promotion.starts_on = promotion.ends_on = None
            promotion.save(update_fields=["starts_on", "ends_on"])


class Migration(migrations.Migration):
    dependencies = [
        ("cohorts", "0009_promotion_survey_answers"),
        ("challenges", "0002_call_for_projects"),
        ("eig", "0002_role_grant_constraints"),
    ]

    operations = [migrations.RunPython(forget_invented_dates, migrations.RunPython.noop)]
