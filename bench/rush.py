"""Deadline-day rush (a script, not a test): candidates log in, fill in and send their
application with a CV, all within a few minutes, on 127.0.0.1 only.

    make rush

    DJANGO_SETTINGS_MODULE=bench.settings REDIS_URL=redis://127.0.0.1:6379/9 \\
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/eig_scale .venv/bin/python bench/rush.py

On the database of `manage.py seed_scale` (its call for applications is open), it
creates the simulated candidates' accounts (rush000@scale.eig.test…, verified
email, no application), serves the platform with gunicorn as the page benchmark
does, and lets each candidate, arriving over --ramp seconds, go through:

    GET  /accounts/login/                 POST /accounts/login/ (CSRF, email, password)
    GET  /candidater/eligibilite/         POST /candidater/eligibilite/
    GET  /candidater/ma-candidature/      POST /candidater/ma-candidature/ (multipart, CV)
    POST /candidater/ma-candidature/envoyer/
    GET  /candidater/tableau-de-bord/

with a think time between steps. It reports the throughput, latencies per step and
overall (p50, p95, max) and the errors, then checks the database: submitted
applications equal successful sends, no duplicate, every CV file on disk. The
accounts and applications of a previous rush are removed first (and after, unless
--keep), so that the page benchmark keeps measuring the seeded data.
"""

import argparse
import os
import random
import re
import signal
import statistics
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

PREFIX = "rush"
PASSWORD = "ruee-du-dernier-jour-2026"
STEPS = [
    "login page",
    "login",
    "eligibility page",
    "eligibility",
    "application page",
    "save with CV",
    "submit",
    "dashboard",
]
_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_CHALLENGES = re.compile(r'<select name="first_challenge"[^>]*>(.*?)</select>', re.S)
_OPTION = re.compile(r'<option value="(\d+)"')
_PROFILE = re.compile(r'name="profile" value="(\d+)"')


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--candidates", type=int, default=200)
    parser.add_argument("--ramp", type=float, default=120, help="seconds over which they arrive")
    parser.add_argument("--think", type=float, default=2.0, help="mean think time (s)")
    parser.add_argument("--max-seconds", type=float, default=600, help="stop the rush there")
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--keep", action="store_true", help="keep the rush's applications")
    parser.add_argument(
        "--nodes",
        type=int,
        default=1,
        help="web nodes (gunicorn each, ports --port, --port+1…) behind nginx on --port+100",
    )
    parser.add_argument(
        "--s3",
        action="store_true",
        help="uploads in a bucket of a local S3-compatible server (moto), as in production",
    )
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database seeded by `manage.py seed_scale`.")

    if args.s3:
        s3_server = start_object_storage()
    import django

    django.setup()
    from bench.pages import start_gunicorn

    call = open_call()
    remove_previous_rush()
    emails = create_candidates(args.candidates)
    warm_up = create_candidates(8, prefix=f"{PREFIX}-echauffement")
    node_ports = [args.port + n for n in range(args.nodes)]
    servers = [start_gunicorn(port) for port in node_ports]
    try:
        if args.nodes > 1:
            from bench.nodes import start_proxy

            proxy, _ = start_proxy(args.port + 100, node_ports)
            servers.append(proxy)
            base = f"http://127.0.0.1:{args.port + 100}"
        else:
            base = f"http://127.0.0.1:{args.port}"
        # Eight candidates first, not counted: every worker loads its templates once.
        Rush(base, args, random.Random(0), ramp=0, think=0).run(warm_up)
        rush = Rush(base, args, random.Random(args.seed))
        started = time.perf_counter()
        rush.run(emails)
        elapsed = time.perf_counter() - started
        unreadable = cvs_unreadable_from_a_node(rush, node_ports)
    finally:
        for server in servers:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait()
    rush.report(elapsed)
    print(f"\nCVs not readable from every node ({len(node_ports)}): {unreadable}")
    ok = check_database(call, emails, rush) and unreadable == 0
    if not args.keep:
        remove_previous_rush()
    if args.s3:
        s3_server.terminate()
    if os.environ.get("REDIS_URL"):
        from eig.celery import app

        app.control.purge()  # the confirmation emails' tasks: no worker runs in this bench
    sys.exit(0 if ok and not rush.errors else 1)


def start_object_storage():
    """moto's S3 server on loopback and a new private bucket, named in the environment
    that this process and the gunicorn nodes read their settings from."""
    import boto3

    from tests import s3

    process, endpoint = s3.start_server()
    bucket = "eig-rush"
    boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id=s3.ACCESS_KEY,
        aws_secret_access_key=s3.SECRET_KEY,
    ).create_bucket(Bucket=bucket)
    os.environ.update(
        AWS_STORAGE_BUCKET_NAME=bucket,
        AWS_S3_ENDPOINT_URL=endpoint,
        AWS_S3_REGION_NAME="us-east-1",
        AWS_ACCESS_KEY_ID=s3.ACCESS_KEY,
        AWS_SECRET_ACCESS_KEY=s3.SECRET_KEY,
    )
    return process


# --- The database, before and after ----------------------------------------------------


def open_call():
    from applications.services import current_call

    call = current_call()
    if call is None or not call.accepts_applications():
        sys.exit("No call for applications is open: seed the database again (make seed-scale).")
    return call


def _rush_users():
    from eig.models import User

    return User.objects.filter(email__startswith=f"{PREFIX}", email__endswith="@scale.eig.test")


def remove_previous_rush():
    """The accounts of a previous rush, their applications, CV files and emails."""
    from applications.models import Application
    from eig.models import OutboxMessage

    users = _rush_users()
    applications = Application.objects.filter(candidate__in=users)
    names = [name for name in applications.values_list("cv", flat=True) if name]
    storage = Application._meta.get_field("cv").storage
    OutboxMessage.objects.filter(recipient__in=users).delete()
    users.delete()  # their applications, choices and sessions' users go with them
    for name in names:
        storage.delete(name)


def create_candidates(count, prefix=PREFIX):
    from allauth.account.models import EmailAddress
    from django.contrib.auth.hashers import make_password

    from eig.models import User

    password = make_password(PASSWORD)
    users = User.objects.bulk_create(
        User(email=f"{prefix}{n:03d}@scale.eig.test", first_name="Candidat", last_name=f"Rush{n}")
        for n in range(count)
    )
    for user in users:
        user.password = password
    User.objects.bulk_update(users, ["password"])
    EmailAddress.objects.bulk_create(
        EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users
    )
    return [u.email for u in users]


def cvs_unreadable_from_a_node(rush, node_ports):
    """Each candidate who sent downloads their CV from every node directly, with the
    session the rush gave them (sessions live in the database every node shares)."""
    from django.urls import reverse

    path = reverse("applications:cv_download")
    unreadable = 0
    for email, opener in rush.openers.items():
        for port in node_ports:
            try:
                body = opener.open(f"http://127.0.0.1:{port}{path}", timeout=60).read()
            except OSError:
                body = b""
            if body != rush.cv:
                unreadable += 1
                rush.errors.append(f"{email} · CV from node {port}: unreadable")
    return unreadable


def check_database(call, emails, rush):
    """Submitted applications equal successful sends, no duplicate, no lost file."""
    from django.db.models import Count

    from applications.models import Application, Choice
    from eig.models import OutboxMessage

    applications = Application.objects.filter(call=call, candidate__email__in=emails)
    submitted = applications.filter(status=Application.Status.SUBMITTED)
    duplicates = (
        applications.values("candidate").annotate(n=Count("pk")).filter(n__gt=1).count()
        + Choice.objects.filter(application__in=applications)
        .values("application", "rank")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .count()
    )
    storage = Application._meta.get_field("cv").storage
    lost = [a.pk for a in submitted if not a.cv or not storage.exists(a.cv.name)]
    confirmations = OutboxMessage.objects.filter(
        event="applications.application_submitted", recipient__email__in=emails
    ).count()
    sent = rush.successes["submit"]
    print()
    print(f"submitted applications in the database {submitted.count():>6}")
    print(f"successful sends (HTTP)                {sent:>6}")
    print(f"duplicates                             {duplicates:>6}")
    print(f"lost CV files                          {len(lost):>6}")
    print(f"confirmation emails in the outbox      {confirmations:>6}")
    ok = submitted.count() == sent and not duplicates and not lost and confirmations == sent
    print("database check                         " + ("  ok" if ok else "  FAILED"))
    return ok


# --- The simulated candidates -----------------------------------------------------------


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Failure(Exception):
    pass


class Rush:
    def __init__(self, base, args, rng, ramp=None, think=None):
        self.base, self.args, self.rng = base, args, rng
        self.ramp = args.ramp if ramp is None else ramp
        self.mean_think = args.think if think is None else think
        self.latencies = defaultdict(list)
        self.successes = defaultdict(int)
        self.errors = []
        self.openers = {}  # email → the session of each candidate who sent
        self.lock = threading.Lock()
        self.deadline = None
        from scale.seed import CV_PDF

        self.cv = CV_PDF

    def run(self, emails):
        self.deadline = time.monotonic() + self.args.max_seconds
        plans = [
            (email, self.rng.uniform(0, self.ramp), random.Random(self.rng.random()))
            for email in emails
        ]
        threads = [threading.Thread(target=self.candidate, args=plan) for plan in plans]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    def candidate(self, email, arrives_after, rng):
        time.sleep(arrives_after)
        opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(CookieJar()), _NoRedirect
        )
        step = "login page"
        try:
            page = self.get(opener, "login page", "/accounts/login/")
            self.think(rng)
            step = "login"
            fields = {"login": email, "password": PASSWORD, "csrfmiddlewaretoken": _token(page)}
            self.post(opener, "login", "/accounts/login/", fields, expect="/mon-espace/")
            self.think(rng)
            step = "eligibility page"
            page = self.get(opener, step, "/candidater/eligibilite/")
            self.think(rng)
            step = "eligibility"
            fields = {
                "studies_completed": "oui",
                "is_civil_servant": "non",
                "csrfmiddlewaretoken": _token(page),
            }
            self.post(
                opener, step, "/candidater/eligibilite/", fields, "/candidater/ma-candidature/"
            )
            self.think(rng)
            step = "application page"
            page = self.get(opener, step, "/candidater/ma-candidature/")
            self.think(rng)
            step = "save with CV"
            self.save(opener, page, rng, email)
            self.think(rng)
            step = "submit"
            fields = {"csrfmiddlewaretoken": _token(page)}
            self.post(
                opener,
                step,
                "/candidater/ma-candidature/envoyer/",
                fields,
                "/candidater/tableau-de-bord/",
            )
            self.think(rng)
            step = "dashboard"
            self.get(opener, step, "/candidater/tableau-de-bord/")
            with self.lock:
                self.openers[email] = opener
        except Failure as failure:
            with self.lock:
                self.errors.append(f"{email} · {step}: {failure}")

    def save(self, opener, page, rng, email):
        challenges = _OPTION.findall(_CHALLENGES.search(page).group(1))
        first, second = rng.sample(challenges, 2)
        fields = {
            "csrfmiddlewaretoken": _token(page),
            "profile": rng.choice(_PROFILE.findall(page)),
            "years_of_experience": str(rng.randint(0, 20)),
            "motivation": "Je veux servir l'intérêt général avec mes compétences. " * 10,
            "forge_url": f"https://gitlab.com/{email.split('@')[0]}",
            "portfolio_url": "",
            "available_from": "2027-09-01",
            "first_challenge": first,
            "first_motivation": "Ce défi rejoint mon expérience des données publiques.",
            "second_challenge": second,
            "second_motivation": "Ce second défi m'intéresse aussi.",
            "talent_pool_consent": "on",
        }
        body, content_type = _multipart(fields, "cv", "mon-cv.pdf", self.cv)
        self.request(
            opener,
            "save with CV",
            "/candidater/ma-candidature/",
            body,
            {"Content-Type": content_type},
            expect="/candidater/ma-candidature/",
        )

    def think(self, rng):
        if time.monotonic() > self.deadline:
            raise Failure("the rush's time is up")
        if self.mean_think:
            time.sleep(rng.expovariate(1 / self.mean_think))

    def get(self, opener, step, path):
        return self.request(opener, step, path, None, {}, expect=None)

    def post(self, opener, step, path, fields, expect):
        body = urllib.parse.urlencode(fields).encode()
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        return self.request(opener, step, path, body, headers, expect)

    def request(self, opener, step, path, body, headers, expect):
        """One request; a POST must answer a redirect to `expect`, a GET a 200."""
        request = urllib.request.Request(self.base + path, data=body, headers=headers)
        started = time.perf_counter()
        try:
            response = opener.open(request, timeout=60)
            status, location, text = response.status, None, response.read().decode()
        except urllib.error.HTTPError as error:  # 3xx (not followed) and 4xx/5xx
            status, location, text = error.code, error.headers.get("Location"), ""
            error.read()
        except OSError as error:
            raise Failure(f"{type(error).__name__}: {error}") from error
        finally:
            with self.lock:
                self.latencies[step].append(time.perf_counter() - started)
        if expect is None and status != 200:
            raise Failure(f"HTTP {status} instead of 200")
        if expect is not None and (status != 302 or location != expect):
            raise Failure(f"HTTP {status} → {location} instead of 302 → {expect}")
        with self.lock:
            self.successes[step] += 1
        return text

    def report(self, elapsed):
        every = [seconds for step in STEPS for seconds in self.latencies[step]]
        print()
        print(
            f"{self.args.candidates} candidates arriving over {self.args.ramp:g} s, "
            f"think time {self.args.think:g} s on average; 4 gunicorn sync workers, "
            f"{os.cpu_count()} CPUs"
        )
        print(
            f"duration {elapsed:.1f} s, {len(every)} requests, {len(every) / elapsed:.1f} requests/s"
        )
        print(f"\n{'step':<18} {'requests':>8} {'ok':>6} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
        for step in [*STEPS, "all"]:
            values = every if step == "all" else self.latencies[step]
            ok = sum(self.successes.values()) if step == "all" else self.successes[step]
            print(
                f"{step:<18} {len(values):>8} {ok:>6} {_ms(values, 50):>8} {_ms(values, 95):>8} {_ms(values, 100):>8}"
            )
        print(f"\nerrors: {len(self.errors)}")
        for error in self.errors[:20]:
            print(f"  {error}")


def _ms(values, percentile):
    if not values:
        return "—"
    if percentile == 100:
        return f"{max(values) * 1000:.0f}"
    if len(values) == 1:
        return f"{values[0] * 1000:.0f}"
    return f"{statistics.quantiles(values, n=100, method='inclusive')[percentile - 1] * 1000:.0f}"


def _token(page):
    match = _TOKEN.search(page)
    if not match:
        raise Failure("no CSRF token in the page")
    return match.group(1)


def _multipart(fields, file_field, filename, content):
    boundary = f"----rush{random.getrandbits(64):016x}"
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        )
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; '
        f'filename="{filename}"\r\nContent-Type: application/pdf\r\n\r\n'.encode()
        + content
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


if __name__ == "__main__":
    main()
