"""Benchmark of the key pages at scale (a script, not a test).

    make bench        # creates and seeds eig_scale if needed, then runs this

    DJANGO_SETTINGS_MODULE=bench.settings \\
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/eig_scale .venv/bin/python bench/pages.py

On the database laid out by `manage.py seed_scale` (factor 10 by default), it
1. counts the SQL queries of each page with Django's test client (in this process);
2. serves the platform with gunicorn on 127.0.0.1 (bench settings: the product's
   plus the floor views under /__bench__/), and loads each page in its own phase
   with wrk, at a concurrency of 4, for at least 500 requests after a warm-up;
3. prints, per page, the queries, p50 and p95, and the ratio of its p95 to its
   floor's: list pages against the 50-row table, other pages against the small
   template for a logged-in user; the CSV export also reports the time of one
   export alone and the peak memory of the gunicorn workers.
"""

import argparse
import copy
import json
import math
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

CONCURRENCY = 4
WORKERS = 4  # gunicorn sync workers, as in gunicorn.conf.py
# p95 at most this many times the floor's p95, caches off (issue 18's targets).
TARGETS = {"list": 2.5, "page": 4.0}
# The application's caches (impact figures, the jury kit's file, the public challenge
# sheet): off measures the work itself; on, what a visitor gets once it is cached.
CACHE_MODES = {"off": 0, "on": 60}
EXPORT_SECONDS, EXPORT_MEGABYTES = 5.0, 300


@dataclass
class Phase:
    name: str
    url: str
    kind: str  # "floor", "list", "page" or "export"
    user: str | None = None  # the account whose session cookie is sent
    floor: str | None = None  # the floor phase this page is compared with
    queries: int | None = None
    result: dict = field(default_factory=dict)


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=500, help="at least this many per page")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--only", nargs="*", help="run only these phases (and their floors)")
    parser.add_argument(
        "--queries-only", action="store_true", help="count the queries, without gunicorn or wrk"
    )
    parser.add_argument(
        "--compare-db",
        help="also count the queries on this database (seeded at another factor): "
        "a page whose count changes with the data size has an N+1",
    )
    parser.add_argument(
        "--cache",
        nargs="+",
        choices=list(CACHE_MODES),
        default=["off", "on"],
        help="measure with the application caches off (the work itself), on, or both",
    )
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database seeded by `manage.py seed_scale`.")
    if not args.queries_only and shutil.which("wrk") is None:
        sys.exit("wrk is missing: apt-get install -y wrk (make bench does it as root).")

    import django

    django.setup()
    phases = plan_phases()
    if args.only:
        wanted = set(args.only)
        wanted |= {p.floor for p in phases if p.name in wanted and p.floor}
        phases = [p for p in phases if p.name in wanted]
    if args.compare_db:
        compare_queries(phases, args.compare_db)
    cookies = sessions({p.user for p in phases if p.user})
    count_queries(phases)
    if args.queries_only:
        for phase in phases:
            print(f"{phase.name:<34} {phase.queries:>4} queries", end="")
            print(
                f" ({phase.result['other_queries']} on {args.compare_db})"
                if args.compare_db
                else ""
            )
        return
    for cache in args.cache:
        measured = [copy.deepcopy(phase) for phase in phases]
        run_gunicorn_phases(measured, cookies, args, cache_seconds=CACHE_MODES[cache])
        print(f"\n## Application caches {cache} (EIG_CACHE_SECONDS={CACHE_MODES[cache]})")
        print_table(measured)


def run_gunicorn_phases(phases, cookies, args, cache_seconds):
    """Each phase loaded with wrk through gunicorn, whose settings cache the application's
    fragments and figures `cache_seconds` (0: every request computes them)."""
    print(f"load average before the run: {os.getloadavg()[0]:.2f}", file=sys.stderr)
    server = start_gunicorn(args.port, env={"EIG_CACHE_SECONDS": str(cache_seconds)})
    try:
        for phase in phases:  # every worker loads templates, translations, URLs once
            check(f"http://127.0.0.1:{args.port}{phase.url}", cookies.get(phase.user), phase.name)
        base = f"http://127.0.0.1:{args.port}"
        by_name = {p.name: p for p in phases}
        for phase in phases:
            cookie = cookies.get(phase.user)
            if phase.floor:
                # The page's floor again, just before and just after it: this machine's
                # speed drifts (a virtual machine with neighbours), and a ratio must
                # compare like with like. The table's floor rows are the first runs.
                floor = by_name[phase.floor]
                before = load(base + floor.url, cookies.get(floor.user), args.requests)
            if phase.kind == "export":
                phase.result.update(time_one_export(base + phase.url, cookie))
            phase.result.update(load(base + phase.url, cookie, args.requests))
            if phase.kind == "export":
                phase.result["peak_mb"] = peak_worker_megabytes(server)
            if phase.floor:
                after = load(base + floor.url, cookies.get(floor.user), args.requests)
                phase.result["floor"] = {
                    "p95_ms": (before["p95_ms"] + after["p95_ms"]) / 2,
                    "around": (before["p95_ms"], after["p95_ms"]),
                }
            print(f"  {phase.name}: {phase.result['requests']} requests", file=sys.stderr)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait()


# --- What is measured ---------------------------------------------------------------


def plan_phases():
    """The floor, then the pages, with the accounts and objects the seed laid out."""
    from django.db.models import Count

    from applications.models import Application, CallForApplications, Choice
    from challenges.models import Audition, Challenge, JuryMember
    from scale import seed

    staff = seed.STAFF_EMAIL
    if not CallForApplications.objects.filter(promotion__code=seed.CURRENT_CODE).exists():
        sys.exit("No data at scale here: run `manage.py seed_scale` first (make bench does).")
    call = CallForApplications.objects.get(promotion__code=seed.CURRENT_CODE)
    candidate = (
        Application.objects.filter(call=call, status=Application.Status.SUBMITTED)
        .annotate(calls=Count("candidate__applications"))
        .filter(calls=2)
        .order_by("pk")
        .values_list("candidate__email", flat=True)
        .first()
    )
    lead = JuryMember.objects.filter(
        call__promotion__code=seed.CURRENT_CODE, panel__lead__isnull=False
    )
    member = lead.select_related("user", "panel").order_by("panel__name", "pk").first()
    kit = Audition.objects.filter(panel=member.panel).order_by("starts_at").first().challenge_id
    selected = Challenge.objects.filter(
        promotion__code=seed.CURRENT_CODE, status=Challenge.Status.SELECTED
    )
    busiest = (
        Choice.objects.filter(challenge__in=selected, application__status="submitted")
        .values("challenge")
        .annotate(n=Count("pk"))
        .order_by("-n", "challenge")
        .first()["challenge"]
    )
    page = selected.order_by("title").first()
    filtered = f"?call__id__exact={call.pk}&status__exact=submitted"
    return [
        Phase("floor: small template", "/__bench__/petit-gabarit/", "floor"),
        Phase("floor: small template, logged in", "/__bench__/petit-gabarit/", "floor", staff),
        Phase("floor: one indexed query", "/__bench__/requete-indexee/", "floor"),
        Phase("floor: 50-row table", "/__bench__/tableau-50/", "floor"),
        Phase("challenge list", "/defis/", "list", floor="floor: 50-row table"),
        Phase("challenge search", "/defis/?q=donn%C3%A9es", "list", floor="floor: 50-row table"),
        Phase(
            "challenge page",
            f"/defis/{seed.CURRENT_CODE}/{page.slug}/",
            "page",
            floor="floor: small template, logged in",
        ),
        Phase(
            "candidate dashboard",
            "/candidater/tableau-de-bord/",
            "page",
            candidate,
            "floor: small template, logged in",
        ),
        Phase(
            "admin applications, filtered",
            f"/admin/applications/application/{filtered}",
            "list",
            staff,
            "floor: 50-row table",
        ),
        Phase(
            "ranking of a challenge",
            f"/preselection/defis/{busiest}/classement/",
            "list",
            staff,
            "floor: 50-row table",
        ),
        Phase(
            "jury kit",
            f"/jury/defis/{kit}/",
            "page",
            member.user.email,
            "floor: small template, logged in",
        ),
        Phase(
            "weekly-update grid",
            "/equipes/tableau-de-bord/",
            "list",
            staff,
            "floor: 50-row table",
        ),
        Phase("impact", "/impact/", "page", floor="floor: small template, logged in"),
        Phase(
            "CSV export, all applications",
            "/admin/applications/application/export-csv/",
            "export",
            staff,
        ),
    ]


def compare_queries(phases, database):
    """The same pages' queries on another database (the same objects, at another size)."""
    from django.db import connections

    default = connections["default"]
    name = default.settings_dict["NAME"]
    default.close()
    default.settings_dict["NAME"] = database
    try:
        others = {p.name: p for p in plan_phases()}
        count_queries(list(others.values()))
    finally:
        default.close()
        default.settings_dict["NAME"] = name
    for phase in phases:
        phase.result["other_queries"] = others[phase.name].queries


def sessions(emails):
    """A session cookie per account, made by Django's own login (no password typed)."""
    from django.test import Client

    from eig.models import User

    cookies = {}
    for email in sorted(emails):
        client = Client()
        client.force_login(
            User.objects.get(email=email), backend="django.contrib.auth.backends.ModelBackend"
        )
        cookies[email] = f"sessionid={client.cookies['sessionid'].value}"
    return cookies


def count_queries(phases):
    """The queries of each page, counted here with the test client (after one warm-up)."""
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from eig.models import User

    clients = {}
    for phase in phases:
        if phase.user not in clients:
            client = Client(SERVER_NAME="127.0.0.1")
            if phase.user:
                client.force_login(
                    User.objects.get(email=phase.user),
                    backend="django.contrib.auth.backends.ModelBackend",
                )
            clients[phase.user] = client
        client = clients[phase.user]
        _get(client, phase.url)  # warm-up: the first reading of a kit…
        cache.clear()  # counted with the cache empty: the impact figures are computed
        with CaptureQueriesContext(connection) as queries:
            response = _get(client, phase.url)
        if response.status_code != 200:
            sys.exit(f"{phase.name}: {phase.url} answers {response.status_code}, not 200")
        phase.queries = len(queries)


def _get(client, url):
    response = client.get(url)
    if response.streaming:
        for _chunk in response.streaming_content:
            pass
    return response


# --- gunicorn and wrk --------------------------------------------------------------------


def start_gunicorn(port, env=None):
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "eig.wsgi:application",
            "--config",
            str(ROOT / "gunicorn.conf.py"),
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(WORKERS),
            "--timeout",
            "120",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings", **(env or {})},
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/__bench__/petit-gabarit/", timeout=10)
            return server
        except (urllib.error.URLError, OSError):
            time.sleep(0.2)
    os.killpg(server.pid, signal.SIGTERM)
    server.wait()
    sys.exit("gunicorn did not start")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def check(url, cookie, name):
    """The page answers 200 through gunicorn for this session (not a redirect to the login)."""
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        response = urllib.request.build_opener(_NoRedirect).open(request, timeout=60)
        response.read()
    except urllib.error.HTTPError as error:
        sys.exit(f"{name}: {url} answers {error.code} through gunicorn")


def wrk(url, cookie, seconds):
    command = ["wrk", "-t", "2", "-c", str(CONCURRENCY), "-d", f"{seconds}s", "--timeout", "60s"]
    command += ["-s", str(ROOT / "bench" / "wrk_report.lua")]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    output = subprocess.run(command + [url], capture_output=True, text=True, check=True).stdout
    line = next(line for line in output.splitlines() if line.startswith("WRK "))
    return json.loads(line[4:])


def load(url, cookie, at_least):
    """A warm-up run, then a run long enough for `at_least` requests (with a margin)."""
    warm = wrk(url, cookie, 2)
    rate = max(warm["requests"], 1) / warm["duration_s"]
    seconds = max(3, math.ceil(1.3 * at_least / rate))
    result = wrk(url, cookie, seconds)
    while result["requests"] < at_least:  # slower than the warm-up said: go on longer
        seconds *= 2
        result = wrk(url, cookie, seconds)
    return result


def time_one_export(url, cookie):
    """One export alone: seconds to the last byte, and its size."""
    request = urllib.request.Request(url, headers={"Cookie": cookie})
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=120) as response:
        size = lines = 0
        while chunk := response.read(65536):
            size += len(chunk)
            lines += chunk.count(b"\n")
    return {"alone_s": time.perf_counter() - started, "rows": lines - 1, "size_mb": size / 1e6}


def peak_worker_megabytes(server):
    """The highest peak resident memory (VmHWM) among the gunicorn workers."""
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    peaks = []
    for pid in children:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                peaks.append(int(line.split()[1]) / 1024)
    return max(peaks)


# --- The table ---------------------------------------------------------------------------


def print_table(phases):
    compared = any("other_queries" in p.result for p in phases)
    header = (
        f"{'page':<34} {'kind':<6} {'queries':>7}{' (f. 1)' if compared else ''} {'requests':>8}"
        f" {'p50 ms':>8} {'p95 ms':>8} {'floor p95':>9} {'ratio':>6} {'target':>6}  ok"
    )
    print()
    print(header)
    print("-" * len(header))
    for phase in phases:
        r = phase.result
        cells = f"{phase.name:<34} {phase.kind:<6} {phase.queries:>7}"
        if compared:
            cells += f" {'(' + str(r.get('other_queries', '?')) + ')':>6}"
        cells += f" {r['requests']:>8}"
        cells += f" {r['p50_ms']:>8.1f} {r['p95_ms']:>8.1f}"
        if "floor" in r:
            ratio = r["p95_ms"] / r["floor"]["p95_ms"]
            target = TARGETS[phase.kind]
            ok = ratio <= target and r["not_200"] == 0 and r["socket_errors"] == 0
            cells += f" {r['floor']['p95_ms']:>9.1f} {ratio:>6.2f} {'≤ ' + str(target):>6}"
            cells += f"  {'yes' if ok else 'NO'}"
        elif phase.kind == "export":
            ok = r["alone_s"] < EXPORT_SECONDS and r["peak_mb"] < EXPORT_MEGABYTES
            cells += f" {'':>9} {'':>6} {'':>6}  {'yes' if ok else 'NO'}"
        print(cells)
        if r["not_200"] or r["socket_errors"]:
            print(
                f"    ! {r['not_200']} responses other than 200, {r['socket_errors']} socket errors"
            )
    for phase in phases:
        if phase.kind == "export":
            r = phase.result
            print(
                f"\nCSV export: {r['rows']:,} rows, {r['size_mb']:.1f} MB, "
                f"{r['alone_s']:.2f} s alone (target < {EXPORT_SECONDS:g} s); "
                f"peak memory of a gunicorn worker {r['peak_mb']:.0f} MB "
                f"(target < {EXPORT_MEGABYTES} MB)"
            )
    print(
        f"\nwrk: {CONCURRENCY} connections, {WORKERS} gunicorn sync workers, {os.cpu_count()} CPUs, "
        f"load average at the end {os.getloadavg()[0]:.2f}. Floor p95: the mean of the p95s of the "
        "page's floor measured just before and just after it (list pages: the 50-row table; the "
        "others: the small template for a logged-in user)."
    )


if __name__ == "__main__":
    main()
