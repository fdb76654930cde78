"""Backup and restore of everything PAR Index keeps: the database and the media files (evidence,
documents, report files).

A backup is one folder:
    database.dump    PostgreSQL: pg_dump's custom format;  database.sqlite3 for the embedded SQLite
    media.tar.gz     MEDIA_ROOT as it was
    manifest.json    when, which engine, the row count of every table and the SHA-256 of every
                     media file, so that a restore is checked against what was backed up
Restoring needs an empty database (migrated or not: PostgreSQL gets the dump's schema) and
an empty media folder; afterwards the counts and hashes are compared with the manifest."""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connections
from django.utils import timezone

from parindex.errors import ParIndexError

MANIFEST = "manifest.json"
MEDIA_ARCHIVE = "media.tar.gz"


class BackupError(ParIndexError):
    """A backup or a restore that cannot be done, or a restore that does not match its backup."""


def _db(using):
    """`using` is a connection alias, or a database wrapper of its own (a restore target that is not
    one of the project's configured databases)."""
    return connections[using] if isinstance(using, str) else using


def _engine(using):
    engine = _db(using).settings_dict["ENGINE"]
    if "postgresql" in engine:
        return "postgresql"
    if "sqlite3" in engine:
        return "sqlite"
    raise BackupError(f"Chưa hỗ trợ sao lưu cơ sở dữ liệu loại {engine}.")


def _pg_env(settings_dict):
    env = {**os.environ}
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    return env


def _pg_args(settings_dict):
    args = []
    if settings_dict.get("HOST"):
        args += ["--host", str(settings_dict["HOST"])]
    if settings_dict.get("PORT"):
        args += ["--port", str(settings_dict["PORT"])]
    if settings_dict.get("USER"):
        args += ["--username", str(settings_dict["USER"])]
    return args


def _run(command, env=None):
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"Lệnh {command[0]} lỗi: {result.stderr.strip()[:500]}")


def table_counts(*, using="default"):
    """Rows per table of every installed model (history tables included)."""
    connection = _db(using)
    existing = set(connection.introspection.table_names())
    counts = {}
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            table = model._meta.db_table
            if table in existing and table not in counts:
                cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
                counts[table] = cursor.fetchone()[0]
    return dict(sorted(counts.items()))


def media_hashes(*, media_root):
    root = Path(media_root)
    hashes = {}
    if root.is_dir():
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            digest = hashlib.sha256()
            with path.open("rb") as handle:
                for chunk in iter(lambda: handle.read(1024 * 1024), b""):
                    digest.update(chunk)
            hashes[path.relative_to(root).as_posix()] = digest.hexdigest()
    return hashes


def backup_create(*, destination, using="default", media_root=None, now=None):
    """Write a backup folder under `destination`; returns its path."""
    media_root = Path(media_root or settings.MEDIA_ROOT)
    now = now or timezone.now()
    folder = Path(destination) / f"parindex-{timezone.localtime(now):%Y%m%d-%H%M%S}"
    folder.mkdir(parents=True, exist_ok=False)
    engine = _engine(using)
    connection = _db(using)
    manifest = {"created_at": now.isoformat(), "engine": engine, "counts": table_counts(using=using),
                "files": media_hashes(media_root=media_root)}
    if engine == "postgresql":
        settings_dict = connection.settings_dict
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", *_pg_args(settings_dict),
              "--file", str(folder / "database.dump"), settings_dict["NAME"]], env=_pg_env(settings_dict))
    else:
        connection.ensure_connection()
        target = sqlite3.connect(folder / "database.sqlite3")
        try:
            connection.connection.backup(target)  # SQLite's online backup: consistent while in use
        finally:
            target.close()
    with tarfile.open(folder / MEDIA_ARCHIVE, "w:gz") as archive:
        if media_root.is_dir():
            archive.add(media_root, arcname=".")
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=1, ensure_ascii=False), encoding="utf-8")
    return folder


def _read_manifest(source):
    path = Path(source) / MANIFEST
    if not path.is_file():
        raise BackupError(f"Không tìm thấy {MANIFEST} trong {source}: đây không phải thư mục sao lưu.")
    return json.loads(path.read_text(encoding="utf-8"))


def _user_rows(counts):
    return sum(n for table, n in counts.items() if table not in ("django_migrations", "django_content_type",
                                                                 "auth_permission"))


def backup_restore(*, source, using="default", media_root=None):
    """Restore a backup folder into an empty database and an empty media folder, then check it."""
    source = Path(source)
    manifest = _read_manifest(source)
    media_root = Path(media_root or settings.MEDIA_ROOT)
    engine = _engine(using)
    if engine != manifest["engine"]:
        raise BackupError(f"Bản sao lưu là {manifest['engine']}, cơ sở dữ liệu đích là {engine}.")
    if media_root.is_dir() and any(media_root.iterdir()):
        raise BackupError(f"Thư mục tệp {media_root} không trống: khôi phục vào một thư mục trống.")
    connection = _db(using)
    if connection.introspection.table_names() and _user_rows(table_counts(using=using)):
        raise BackupError("Cơ sở dữ liệu đích đã có dữ liệu: khôi phục vào một cơ sở dữ liệu mới, trống.")
    if engine == "postgresql":
        settings_dict = connection.settings_dict
        connection.close()
        _run(["pg_restore", "--no-owner", "--no-privileges", "--clean", "--if-exists", "--exit-on-error",
              *_pg_args(settings_dict), "--dbname", settings_dict["NAME"], str(source / "database.dump")],
             env=_pg_env(settings_dict))
    else:
        connection.close()
        name = connection.settings_dict["NAME"]
        source_db = sqlite3.connect(source / "database.sqlite3")
        target = sqlite3.connect(name)
        try:
            source_db.backup(target)
        finally:
            source_db.close()
            target.close()
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(source / MEDIA_ARCHIVE, "r:gz") as archive:
        archive.extractall(media_root, filter="data")
    differences = backup_compare(manifest=manifest, using=using, media_root=media_root)
    if differences:
        raise BackupError("Dữ liệu khôi phục khác bản sao lưu: " + "; ".join(differences[:10]))
    return manifest


def backup_compare(*, manifest, using="default", media_root=None):
    """What differs between a manifest and a database + media folder (empty list: identical)."""
    counts = table_counts(using=using)
    files = media_hashes(media_root=media_root or settings.MEDIA_ROOT)
    differences = [f"bảng {t}: {manifest['counts'].get(t)} → {counts.get(t)} dòng"
                   for t in sorted(set(manifest["counts"]) | set(counts))
                   if manifest["counts"].get(t) != counts.get(t)]
    differences += [f"tệp {f}: khác hoặc thiếu" for f in sorted(set(manifest["files"]) | set(files))
                    if manifest["files"].get(f) != files.get(f)]
    return differences


def backups_prune(*, destination, keep):
    """Keep the `keep` newest backup folders under `destination`; returns the removed ones."""
    folders = sorted(p for p in Path(destination).glob("parindex-*") if (p / MANIFEST).is_file())
    removed = folders[:-keep] if keep and len(folders) > keep else []
    for folder in removed:
        shutil.rmtree(folder)
    return removed

