"""Databases a test makes beside its own (a restore target, an upgrade), on the same
PostgreSQL server, and the counts it reads there."""

from contextlib import contextmanager

import psycopg2
from django.conf import settings


def url_of(name):
    base = settings.DATABASES["default"]
    return f"postgres://{base['USER']}@{base['HOST']}:{base['PORT'] or 5432}/{name}"


def connect(name):
    """An autocommit connection: CREATE and DROP DATABASE refuse a transaction block."""
    base = settings.DATABASES["default"]
    conn = psycopg2.connect(
        host=base["HOST"], port=base["PORT"] or 5432, user=base["USER"], dbname=name
    )
    conn.autocommit = True
    return conn


@contextmanager
def fresh_database(name):
    """A new empty database, dropped afterwards whatever happened."""
    admin = connect("postgres")
    admin.cursor().execute(f"CREATE DATABASE {name}")
    try:
        yield name
    finally:
        admin.cursor().execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.close()


def fetch_one(name, sql, params=()):
    conn = connect(name)
    try:
        cursor = conn.cursor()
        cursor.execute(sql, params)
        return cursor.fetchone()
    finally:
        conn.close()


def row_counts(name, tables):
    return {table: fetch_one(name, f"SELECT count(*) FROM {table}")[0] for table in tables}  # noqa: S608 — fixed names
