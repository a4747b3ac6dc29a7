"""`flask backup create DIR` and `flask backup restore DIR`: the database, the media folder and
a manifest that lets the restore check what it is given before it writes anything.

A backup folder holds `database.dump` (PostgreSQL, `pg_dump` custom format: one consistent
snapshot, taken while the site runs) or `database.sqlite3` (SQLite's online backup API, safe
while the site writes), `media/` (the uploaded images) and `manifest.json`, written last: the
versions, the Alembic revision, and the size and SHA-256 of every file.

Restore refuses, before writing anything: a file whose checksum fails or is missing, a revision
this code does not know (the backup is newer than the code: upgrade the code first), another
kind of database, a target database that has tables, a media folder that has files.

Media are copied before and after the database dump: uploads are written before the commit
that names them and removed after the commit that forgets them, so every file the dump names
is in one of the two passes.
"""

import hashlib
import json
import os
import platform
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import URL, make_url

from . import clock

FORMAT = 1
MANIFEST = "manifest.json"
PG_DUMP = "database.dump"
SQLITE_COPY = "database.sqlite3"
MEDIA = "media"


class BackupError(Exception):
    """What is wrong with a backup or a target, in words for the operator."""


@dataclass
class Report:
    folder: Path
    manifest: dict

    def summary(self) -> list[str]:
        files = self.manifest["files"]
        media = sum(1 for name in files if name.startswith(MEDIA + "/"))
        size = sum(entry["bytes"] for entry in files.values())
        return [f"{self.manifest['database']} database at revision "
                f"{', '.join(self.manifest['alembic_revision']) or 'none'}",
                f"{media} media file(s), {size} bytes in all, in {self.folder}"]


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _kind(url: URL) -> str:
    backend = url.get_backend_name()
    if backend not in ("postgresql", "sqlite"):
        raise BackupError(f"backups handle PostgreSQL and SQLite, not {backend}")
    return backend


def _libpq_env(url: URL) -> dict[str, str]:
    """The connection for pg_dump/pg_restore in libpq's variables: the password stays out of
    the command line (which `ps` shows to everyone)."""
    env = dict(os.environ)
    for name, value in (("PGHOST", url.host), ("PGPORT", url.port), ("PGUSER", url.username),
                        ("PGPASSWORD", url.password), ("PGDATABASE", url.database),
                        ("PGSSLMODE", url.query.get("sslmode"))):
        if value:
            env[name] = str(value)
    return env


def _run(command: list[str], url: URL) -> str:
    try:
        # The command is ours (pg_dump/pg_restore and paths), never a visitor's input.
        done = subprocess.run(command, env=_libpq_env(url), capture_output=True, text=True,  # noqa: S603
                              check=False)
    except FileNotFoundError as exc:
        raise BackupError(f"{command[0]} is not installed (Debian: postgresql-client)") from exc
    if done.returncode:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()}")
    return done.stdout


def _revisions(engine) -> list[str]:
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return []
        return sorted(connection.execute(text("SELECT version_num FROM alembic_version"))
                      .scalars())


def _copy_media(media_dir: Path, target: Path) -> None:
    if not media_dir.is_dir():
        return
    for path in sorted(media_dir.rglob("*")):
        copy = target / path.relative_to(media_dir)
        if path.is_file() and not copy.exists():
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, copy)


def _versions(engine, kind: str) -> dict[str, str]:
    versions = {"portal": metadata.version("portal"), "python": platform.python_version(),
                "sqlalchemy": metadata.version("sqlalchemy"),
                "alembic": metadata.version("alembic")}
    with engine.connect() as connection:
        if kind == "postgresql":
            versions["server"] = connection.execute(text("SHOW server_version")).scalar()
        else:
            versions["server"] = "SQLite " + sqlite3.sqlite_version
    return versions


def create(folder: Path, database_url: str, media_dir: Path) -> Report:
    folder, media_dir = Path(folder), Path(media_dir)
    if folder.exists() and any(folder.iterdir()):
        raise BackupError(f"{folder} is not empty: a backup goes into a new folder")
    url = make_url(database_url)
    kind = _kind(url)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / MEDIA).mkdir()
    engine = create_engine(url)
    try:
        revision = _revisions(engine)
        versions = _versions(engine, kind)
        _copy_media(media_dir, folder / MEDIA)
        if kind == "postgresql":
            versions["pg_dump"] = _run(["pg_dump", "--version"], url).strip()
            _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges",
                  "--file", str(folder / PG_DUMP)], url)
        else:
            source = sqlite3.connect(url.database)
            copy = sqlite3.connect(folder / SQLITE_COPY)
            try:
                with copy:
                    source.backup(copy)  # page by page, consistent while others write
            finally:
                copy.close()
                source.close()
        _copy_media(media_dir, folder / MEDIA)
    finally:
        engine.dispose()
    files = {str(path.relative_to(folder)): {"sha256": sha256(path), "bytes": path.stat().st_size}
             for path in sorted(folder.rglob("*")) if path.is_file()}
    manifest = {"format": FORMAT, "created_at": clock.utcnow().isoformat(timespec="seconds"),
                "database": kind, "alembic_revision": revision, "versions": versions,
                "files": files}
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return Report(folder, manifest)


def read_manifest(folder: Path) -> dict:
    try:
        manifest = json.loads((Path(folder) / MANIFEST).read_text())
    except FileNotFoundError as exc:
        raise BackupError(f"no {MANIFEST} in {folder}: not a backup, or an unfinished one") from exc
    except ValueError as exc:
        raise BackupError(f"{MANIFEST} is not valid JSON: {exc}") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"backup format {manifest.get('format')!r}, this code reads {FORMAT}")
    return manifest


def verify(folder: Path, manifest: dict, known_revisions: frozenset[str]) -> None:
    """Every listed file is there with its checksum, and the revision is one this code has."""
    folder = Path(folder)
    bad = []
    for name, entry in manifest["files"].items():
        path = folder / name
        if not path.is_file():
            bad.append(f"{name}: missing")
        elif path.stat().st_size != entry["bytes"] or sha256(path) != entry["sha256"]:
            bad.append(f"{name}: checksum does not match")
    if bad:
        raise BackupError("the backup is damaged, nothing was restored: " + "; ".join(bad))
    unknown = [rev for rev in manifest["alembic_revision"] if rev not in known_revisions]
    if unknown:
        raise BackupError(f"the backup is at revision {', '.join(unknown)}, which this code does "
                          "not know: it is newer than the code. Install the portal's version "
                          f"{manifest['versions']['portal']} or later, then restore.")


def restore(folder: Path, database_url: str, media_dir: Path,
            known_revisions: frozenset[str]) -> Report:
    folder, media_dir = Path(folder), Path(media_dir)
    manifest = read_manifest(folder)
    url = make_url(database_url)
    kind = _kind(url)
    if manifest["database"] != kind:
        raise BackupError(f"a {manifest['database']} backup cannot be restored into {kind}")
    verify(folder, manifest, known_revisions)
    if media_dir.exists() and any(media_dir.iterdir()):
        raise BackupError(f"the media folder {media_dir} is not empty: restore into an empty one")
    engine = create_engine(url)
    try:
        tables = inspect(engine).get_table_names()
    finally:
        engine.dispose()
    if tables:
        raise BackupError(f"the target database has {len(tables)} table(s): restore into an "
                          "empty database (createdb a new one)")
    if kind == "postgresql":
        _run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error",
              "--single-transaction", "--dbname", url.database, str(folder / PG_DUMP)], url)
    else:
        source = sqlite3.connect(f"file:{folder / SQLITE_COPY}?mode=ro", uri=True)
        target = sqlite3.connect(url.database)
        try:
            with target:
                source.backup(target)
        finally:
            target.close()
            source.close()
    media_dir.mkdir(parents=True, exist_ok=True)
    shutil.copytree(folder / MEDIA, media_dir, dirs_exist_ok=True)
    return Report(folder, manifest)
