from django.conf import settings

from eig.accessibility import current_audit


def platform(request):
    return {
        "EIG_HISTORY_ATTRIBUTION": settings.EIG_HISTORY_ATTRIBUTION,
        # The footer states the conformity the RGAA grid yields (read once per process).
        "ACCESSIBILITY_STATE": current_audit().state,
    }
