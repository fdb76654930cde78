"""Backup and restore (issue 15, "Backups"): a backup of the database and the media files restores
into a fresh database and an empty folder with the same row count in every table and the same
SHA-256 for every file. Embedded (SQLite) here; PostgreSQL with pg_dump / pg_restore in the
services run."""

import io
import json

import psycopg2
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.db.utils import load_backend

from parindex.models import Document, EvidenceFile
from parindex.services import plan
from parindex.services.backups import BackupError, backup_compare, backup_create, backup_restore, media_hashes
from parindex.services.evidence import evidence_file_store


def some_data(world, media_root, settings):
    settings.MEDIA_ROOT = str(media_root)
    evidence_file_store(assessment=world.assessment_a, actor=world.officer_a,
                        uploaded_file=SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4\n% bien ban\n%%EOF\n"))
    plan.narrative_save(assessment=world.assessment_a, actor=world.officer_a, strengths="Tốt", weaknesses="",
                        proposals="")
    plan.document_create(assessment=world.assessment_a, actor=world.officer_a, doc_type="QĐ",
                         number_symbol="5/QĐ-UBND", issued_on="2024-02-01", summary="Kế hoạch",
                         upload=SimpleUploadedFile("qd.pdf", b"%PDF-1.4\n% qd\n%%EOF\n"))


def restore_target(name):
    """A connection of its own to the fresh database the backup is restored into."""
    backend = load_backend(connection.settings_dict["ENGINE"])
    return backend.DatabaseWrapper({**connection.settings_dict, "NAME": name}, alias="restore")


def check_restored(folder, alias, restored_media):
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["counts"]["parindex_evidencefile"] == 1
    assert manifest["counts"]["parindex_historicalassessment"] >= 1
    assert len(manifest["files"]) == 2
    assert backup_compare(manifest=manifest, using=alias, media_root=restored_media) == []
    with alias.cursor() as cursor:
        cursor.execute("SELECT strengths FROM parindex_assessment WHERE strengths = %s", ["Tốt"])
        assert cursor.fetchone() == ("Tốt",)
    assert media_hashes(media_root=restored_media) == manifest["files"]


@pytest.mark.django_db(transaction=True)
def test_an_sqlite_backup_restores_into_a_fresh_database_with_the_same_rows_and_files(
        world, tmp_path, settings):
    if connection.vendor != "sqlite":
        pytest.skip("the embedded run's test (the services run tests PostgreSQL below)")
    some_data(world, tmp_path / "media", settings)
    folder = backup_create(destination=tmp_path / "backups")
    alias = restore_target(str(tmp_path / "fresh.sqlite3"))
    try:
        backup_restore(source=folder, using=alias, media_root=tmp_path / "restored-media")
        check_restored(folder, alias, tmp_path / "restored-media")
        # A second restore over it is refused: the database is no longer empty.
        with pytest.raises(BackupError, match="đã có dữ liệu"):
            backup_restore(source=folder, using=alias, media_root=tmp_path / "other-media")
    finally:
        alias.close()


@pytest.mark.django_db(transaction=True)
def test_a_changed_file_or_row_is_reported(world, tmp_path, settings):
    some_data(world, tmp_path / "media", settings)
    folder = backup_create(destination=tmp_path / "backups")
    manifest = json.loads((folder / "manifest.json").read_text())
    assert backup_compare(manifest=manifest, media_root=tmp_path / "media") == []
    stored = EvidenceFile.objects.get()
    (tmp_path / "media" / stored.file.name).write_bytes(b"changed")
    Document.objects.all().delete()
    differences = backup_compare(manifest=manifest, media_root=tmp_path / "media")
    assert any("parindex_document" in d for d in differences)
    assert any(stored.file.name in d for d in differences)


@pytest.mark.django_db(transaction=True)
def test_the_commands_back_up_and_refuse_to_restore_over_data(world, tmp_path, settings):
    some_data(world, tmp_path / "media", settings)
    out = io.StringIO()
    call_command("backup_data", str(tmp_path / "backups"), "--keep", "1", stdout=out)
    assert "Đã sao lưu vào" in out.getvalue()
    folder = next((tmp_path / "backups").glob("parindex-*"))
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="không trống|đã có dữ liệu"):
        call_command("restore_data", str(folder), stdout=io.StringIO())


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_postgresql_backup_restores_into_a_fresh_database_with_the_same_rows_and_files(
        world, tmp_path, settings):
    assert connection.vendor == "postgresql", "the services run needs DATABASE_URL on PostgreSQL"
    some_data(world, tmp_path / "media", settings)
    folder = backup_create(destination=tmp_path / "backups")
    fresh = f"{connection.settings_dict['NAME']}_restore"
    params = {k: v for k, v in {"host": connection.settings_dict.get("HOST"),
                                "port": connection.settings_dict.get("PORT"),
                                "user": connection.settings_dict.get("USER"),
                                "password": connection.settings_dict.get("PASSWORD")}.items() if v}
    admin = psycopg2.connect(dbname="postgres", **params)
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{fresh}"')
        cursor.execute(f'CREATE DATABASE "{fresh}"')
    alias = restore_target(fresh)
    try:
        backup_restore(source=folder, using=alias, media_root=tmp_path / "restored-media")
        check_restored(folder, alias, tmp_path / "restored-media")
    finally:
        alias.close()
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{fresh}"')
        admin.close()
