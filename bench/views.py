"""The floor: the least a Django page costs on this stack, served by the same gunicorn.

Each page of the benchmark is compared with one of these: what is above the floor
is the page's own work. They go through every middleware of the product (sessions,
CSRF, CSP, axes…) and render a standalone template (no DSFR header or footer).
"""

from django.shortcuts import render

from applications.models import Application
from eig.models import User


def small_template(request):
    """A small template; for a logged-in visitor it reads the session and the user."""
    return render(request, "bench/small.html", {"title": "Plancher"})


def indexed_query(request):
    """One query on a unique index (the staff account, by email)."""
    user = User.objects.only("pk", "email", "first_name", "last_name").get(
        email=request.GET.get("email", "equipe@scale.eig.test")
    )
    return render(request, "bench/small.html", {"title": "Requête indexée", "found": user})


def table_of_50(request):
    """A 50-row table, with two related tables joined (select_related)."""
    rows = (
        Application.objects.select_related("candidate", "call__promotion", "profile")
        .filter(status=Application.Status.SUBMITTED)
        .order_by("pk")[:50]
    )
    return render(request, "bench/table.html", {"title": "Tableau de 50 lignes", "rows": rows})
