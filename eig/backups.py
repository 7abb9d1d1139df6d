"""Backups of the platform: the database and the uploaded files, in one archive.

One archive is one moment: `pg_dump` (or SQLite's online backup) and every file of
the uploads' storage (local disk or object storage alike, through Django's storage
API), with a manifest that says what it holds. Restoring puts both back into a
fresh database and storage, then runs the retention job at once, so that a restored
archive never brings back what the retention rules had already removed
(docs/operations.md, "Sauvegardes").
"""

import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.core.files.base import File
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from eig import erasures
from eig.files import private_storage

DATABASE_MEMBER = "database.dump"
MANIFEST_MEMBER = "manifest.json"
FILES_PREFIX = "files/"


def _postgres_env(settings_dict):
    env = dict(os.environ)
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = settings_dict["PASSWORD"]
    return env


def _postgres_args(settings_dict):
    args = ["--dbname", settings_dict["NAME"]]
    if settings_dict.get("HOST"):
        args += ["--host", settings_dict["HOST"]]
    if settings_dict.get("PORT"):
        args += ["--port", str(settings_dict["PORT"])]
    if settings_dict.get("USER"):
        args += ["--username", settings_dict["USER"]]
    return args


def dump_database(target: Path):
    settings_dict = connection.settings_dict
    if connection.vendor == "postgresql":
        subprocess.run(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                "--file",
                str(target),
                *_postgres_args(settings_dict),
            ],
            check=True,
            env=_postgres_env(settings_dict),
        )
    elif connection.vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(target) as copy:
            connection.connection.backup(copy)
    else:
        raise NotImplementedError(connection.vendor)


def restore_database(source: Path):
    settings_dict = connection.settings_dict
    if connection.vendor == "postgresql":
        connection.close()
        subprocess.run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                *_postgres_args(settings_dict),
                str(source),
            ],
            check=True,
            env=_postgres_env(settings_dict),
        )
    elif connection.vendor == "sqlite":
        connection.close()
        shutil.copyfile(source, settings_dict["NAME"])
    else:
        raise NotImplementedError(connection.vendor)


def stored_files(folder=""):
    """Every file name of the uploads' storage, walking its folders."""
    try:
        folders, files = private_storage().listdir(folder)
    except FileNotFoundError:  # a local disk before its first upload
        return
    for name in files:
        yield f"{folder}/{name}" if folder else name
    for sub in folders:
        yield from stored_files(f"{folder}/{sub}" if folder else sub)


def _add_bytes(archive, name, data):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(timezone.now().timestamp())
    archive.addfile(info, io.BytesIO(data))


def manifest(file_count):
    return {
        "created_at": timezone.now().isoformat(),
        "database": connection.vendor,
        "migrations": sorted(
            f"{app}.{name}"
            for app, name in MigrationRecorder.Migration.objects.values_list("app", "name")
        ),
        "files": file_count,
    }


def create(target_dir: Path) -> Path:
    """Writes one archive into `target_dir` and returns its path."""
    target_dir.mkdir(parents=True, exist_ok=True)
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    archive_path = target_dir / f"eig-{stamp}.tar"
    with tempfile.TemporaryDirectory() as work:
        dump = Path(work) / DATABASE_MEMBER
        dump_database(dump)
        with tarfile.open(archive_path, "w") as archive:
            archive.add(dump, arcname=DATABASE_MEMBER)
            names = list(stored_files())
            storage = private_storage()
            for name in names:
                # Streamed from the storage into the archive: never a whole CV in memory.
                info = tarfile.TarInfo(FILES_PREFIX + name)
                info.size = storage.size(name)
                info.mtime = int(storage.get_modified_time(name).timestamp())
                with storage.open(name, "rb") as handle:
                    archive.addfile(info, handle)
            _add_bytes(
                archive, MANIFEST_MEMBER, json.dumps(manifest(len(names)), indent=2).encode()
            )
    return archive_path


def prune(target_dir: Path, keep_days: int, now=None):
    """Deletes the archives older than `keep_days`: a backup is personal data too, and
    must not outlive the retention rules by more than that. Returns the names removed."""
    cutoff = (now or timezone.now()).timestamp() - keep_days * 86400
    removed = []
    for archive in sorted(target_dir.glob("eig-*.tar")):
        if archive.stat().st_mtime < cutoff:
            archive.unlink()
            removed.append(archive.name)
    return removed


def restore(archive_path: Path):
    """Puts an archive back into the configured (fresh) database and storage."""
    with tarfile.open(archive_path) as archive, tempfile.TemporaryDirectory() as work:
        archive.extract(DATABASE_MEMBER, work, filter="data")
        restore_database(Path(work) / DATABASE_MEMBER)
        for member in archive.getmembers():
            if not member.isfile() or not member.name.startswith(FILES_PREFIX):
                continue
            name = member.name.removeprefix(FILES_PREFIX)
            storage = private_storage()
            if storage.exists(name):
                if erasures.is_journal(name):
                    continue  # the journal is never rewound: it outlives the database
                storage.delete(name)
            storage.save(name, File(archive.extractfile(member), name=name))
        return json.loads(archive.extractfile(MANIFEST_MEMBER).read())
