from django.conf import settings


def platform(request):
    return {"EIG_HISTORY_ATTRIBUTION": settings.EIG_HISTORY_ATTRIBUTION}
