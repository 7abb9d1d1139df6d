"""Benchmark of the outbox (a script, not a test).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/eig_bench REDIS_URL=redis://127.0.0.1:6379/9 \
        .venv/bin/python bench/outbox.py --reminders 10000 --workers 2

Measures, on a real PostgreSQL, a real Redis and real worker processes:
1. how many outbox emails per second the workers send (to Django's locmem backend);
2. how long 10,000 due reminders take from the sweep to the last one sent.
"""

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--reminders", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2, help="worker processes (solo pool each)")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres") or not os.environ.get(
        "REDIS_URL"
    ):
        sys.exit(
            "Set DATABASE_URL (PostgreSQL) and REDIS_URL: the benchmark uses the real services."
        )

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)

    from django.utils import timezone

    from eig import notifications, reminders
    from eig.celery import app
    from eig.models import OutboxMessage, User

    OutboxMessage.objects.all().delete()
    User.objects.filter(email__endswith="@bench.eig.test").delete()
    app.control.purge()
    User.objects.bulk_create(User(email=f"eig{n}@bench.eig.test") for n in range(args.reminders))

    now = timezone.now()
    today = timezone.localdate()
    event = notifications.register(notifications.Event("bench.reminder", "Rappel du banc d'essai"))

    def find(at):
        for user in User.objects.filter(email__endswith="@bench.eig.test").order_by("pk"):
            yield reminders.Due(
                recipient=user,
                obj=user,
                occasion=str(today),
                context={"label": "échéance"},
            )

    reminders.RULES[:] = [reminders.Rule(event=event, find=find)]
    workers = [_start_worker() for _ in range(args.workers)]
    try:
        time.sleep(3)  # let the workers connect
        started = time.perf_counter()
        created, handed = reminders.sweep(now=now)
        swept = time.perf_counter()
        first_sent = None
        while True:
            done = OutboxMessage.objects.filter(status=OutboxMessage.Status.SENT).count()
            if done and first_sent is None:
                first_sent = time.perf_counter()
            if done >= created:
                break
            time.sleep(0.2)
        finished = time.perf_counter()
    finally:
        for worker in workers:
            os.killpg(worker.pid, signal.SIGTERM)
            worker.wait()
    twice = OutboxMessage.objects.filter(status=OutboxMessage.Status.SENT).count() - created
    print(f"reminders due                {created:>10,}")
    print(f"sweep (rows created, handed) {swept - started:>10.2f} s")
    print(f"sending, first to last       {finished - swept:>10.2f} s")
    print(f"emails per second (sending)  {created / (finished - swept):>10.0f}")
    print(f"sweep to last sent           {finished - started:>10.2f} s")
    print(f"workers                      {args.workers:>10} (solo pool)")
    print(f"sent twice                   {max(twice, 0):>10}")


def _start_worker():
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "eig",
            "worker",
            "--pool=solo",
            "--loglevel=ERROR",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"},
        start_new_session=True,
    )


if __name__ == "__main__":
    main()
