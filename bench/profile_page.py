"""Profile one page in this process: where its time goes, and its slowest queries.

    DJANGO_SETTINGS_MODULE=bench.settings \\
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/eig_scale \\
        .venv/bin/python bench/profile_page.py /preselection/defis/123/classement/ --user equipe@scale.eig.test

Prints pyinstrument's call tree for a few requests (after a warm-up), then the
queries of one request, slowest first, with EXPLAIN ANALYZE for the slowest.
"""

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("url")
    parser.add_argument("--user", help="the email of the account to log in as")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--all", action="store_true", help="show the frames of libraries too")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE the slowest query")
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from pyinstrument import Profiler

    from eig.models import User

    client = Client(SERVER_NAME="127.0.0.1")
    if args.user:
        user = User.objects.get(email=args.user)
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")

    def get():
        response = client.get(args.url)
        if response.streaming:
            for _chunk in response.streaming_content:
                pass
        assert response.status_code == 200, response.status_code
        return response

    get()
    profiler = Profiler(interval=0.0005)
    profiler.start()
    for _ in range(args.repeat):
        get()
    profiler.stop()
    print(profiler.output_text(unicode=True, color=False, show_all=args.all))
    with CaptureQueriesContext(connection) as queries:
        get()
    slowest = sorted(queries.captured_queries, key=lambda q: -float(q["time"]))
    print(f"{len(slowest)} queries, {sum(float(q['time']) for q in slowest) * 1000:.1f} ms")
    for query in slowest[:8]:
        print(f"{float(query['time']) * 1000:8.1f} ms  {query['sql'][:300]}")
    if args.explain and slowest:
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN ANALYZE " + slowest[0]["sql"])
            print("\n".join(row[0] for row in cursor.fetchall()))


if __name__ == "__main__":
    main()
