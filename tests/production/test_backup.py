"""`flask backup create` / `restore` really restore, on the database the tests run on (SQLite,
or PostgreSQL with TEST_DATABASE_URL): same rows, same media; and every refusal writes nothing."""

import json
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from portal import backup
from portal.readiness import code_heads, known_revisions
from tests.factories import make_news, make_quartier


@pytest.fixture
def source(app, committed_db):
    """Rows and a media file in the test database and media folder."""
    make_quartier("alma")
    make_news("reunion", title="Réunion publique")
    photo = Path(app.config["MEDIA_DIR"]) / f"{uuid.uuid4().hex}.webp"
    photo.write_bytes(b"RIFF-not-really-an-image" * 100)
    yield app.config["SQLALCHEMY_DATABASE_URI"], Path(app.config["MEDIA_DIR"]), photo
    photo.unlink()


@pytest.fixture
def empty_database(app, tmp_path):
    """The URL of a new, empty database of the same kind as the tests'."""
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() == "sqlite":
        yield str(url.set(database=str(tmp_path / "restored.db")))
        return
    name = f"{url.database}_restore_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield url.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()


def _counts(url: str) -> dict[str, int]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return {table: connection.execute(text(f'SELECT count(*) FROM "{table}"')).scalar()
                    for table in inspect(connection).get_table_names()}
    finally:
        engine.dispose()


def test_backup_then_restore_gives_the_same_rows_and_media(source, empty_database, tmp_path):
    url, media, photo = source
    report = backup.create(tmp_path / "backup", url, media)
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert manifest["alembic_revision"] == sorted(code_heads())
    assert manifest["versions"]["portal"] and manifest["database"] in ("sqlite", "postgresql")
    assert f"media/{photo.name}" in manifest["files"]
    assert report.summary()

    restored_media = tmp_path / "restored-media"
    backup.restore(tmp_path / "backup", empty_database, restored_media, known_revisions())
    assert _counts(empty_database) == _counts(url)
    assert _counts(empty_database)["news_article"] == 1
    assert (restored_media / photo.name).read_bytes() == photo.read_bytes()


def _refused(folder, url, media, match):
    with pytest.raises(backup.BackupError, match=match):
        backup.restore(folder, url, media, known_revisions())
    assert not (Path(media).exists() and any(Path(media).iterdir()))


def test_a_damaged_file_is_refused(source, empty_database, tmp_path):
    url, media, photo = source
    backup.create(tmp_path / "backup", url, media)
    damaged = tmp_path / "backup" / "media" / photo.name
    damaged.write_bytes(b"x" + damaged.read_bytes()[1:])
    _refused(tmp_path / "backup", empty_database, tmp_path / "m", "checksum does not match")
    assert _counts(empty_database) == {}


def test_a_missing_file_is_refused(source, empty_database, tmp_path):
    url, media, photo = source
    backup.create(tmp_path / "backup", url, media)
    (tmp_path / "backup" / "media" / photo.name).unlink()
    _refused(tmp_path / "backup", empty_database, tmp_path / "m", "missing")


def test_a_revision_newer_than_the_code_is_refused(source, empty_database, tmp_path):
    url, media, _ = source
    backup.create(tmp_path / "backup", url, media)
    manifest_path = tmp_path / "backup" / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["alembic_revision"] = ["0099_from_the_future"]
    manifest_path.write_text(json.dumps(manifest))
    _refused(tmp_path / "backup", empty_database, tmp_path / "m", "newer than the code")
    assert _counts(empty_database) == {}


def test_a_target_with_tables_or_media_is_refused(source, tmp_path, empty_database):
    url, media, _ = source
    backup.create(tmp_path / "backup", url, media)
    _refused(tmp_path / "backup", url, tmp_path / "m", "table")  # the live database itself
    full = tmp_path / "full-media"
    full.mkdir()
    (full / "kept.webp").write_bytes(b"x")
    with pytest.raises(backup.BackupError, match="media folder"):
        backup.restore(tmp_path / "backup", empty_database, full, known_revisions())
    assert _counts(empty_database) == {}


def test_a_folder_without_manifest_or_not_empty_is_refused(source, tmp_path):
    url, media, _ = source
    (tmp_path / "half").mkdir()
    _refused(tmp_path / "half", url, tmp_path / "m", "manifest.json")
    (tmp_path / "half" / "something").write_text("x")
    with pytest.raises(backup.BackupError, match="not empty"):
        backup.create(tmp_path / "half", url, media)


def test_the_commands(app, source, tmp_path):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["backup", "create", str(tmp_path / "b")])
    assert result.exit_code == 0 and "Backup written" in result.output
    result = runner.invoke(args=["backup", "restore", str(tmp_path / "b")])
    assert result.exit_code == 1 and "Nothing restored" in result.output
