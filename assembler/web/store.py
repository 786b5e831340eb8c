"""Embedded storage for the web service: workspaces, answer versions and builds in SQLite.

One file ``DATA/assembler.sqlite3`` (WAL mode, a fresh connection per call so any thread may use
it); packages live on disk under ``DATA/workspaces/<id>/builds/<n>/``. Every folder name comes
from this module (random hex ids, build numbers), never from a request. Tokens and session ids
are stored only as their SHA-256.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import secrets
import sqlite3
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DB_NAME = "assembler.sqlite3"
_ID = re.compile(r"[0-9a-f]{12}")
_SCHEMA = """
CREATE TABLE IF NOT EXISTS workspaces (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, token_sha256 TEXT UNIQUE, created TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS versions (
    id INTEGER PRIMARY KEY AUTOINCREMENT, workspace TEXT NOT NULL REFERENCES workspaces(id),
    number INTEGER NOT NULL, answers TEXT NOT NULL, note TEXT NOT NULL, created TEXT NOT NULL,
    UNIQUE (workspace, number));
CREATE TABLE IF NOT EXISTS builds (
    id INTEGER PRIMARY KEY AUTOINCREMENT, workspace TEXT NOT NULL REFERENCES workspaces(id),
    number INTEGER NOT NULL, version INTEGER NOT NULL REFERENCES versions(id), status TEXT NOT NULL,
    package TEXT, result TEXT NOT NULL DEFAULT '{}', created TEXT NOT NULL, UNIQUE (workspace, number));
CREATE TABLE IF NOT EXISTS sessions (  -- created and seen in Unix seconds
    id_sha256 TEXT PRIMARY KEY, workspace TEXT NOT NULL REFERENCES workspaces(id),
    created INTEGER NOT NULL, seen INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS sessions_by_workspace ON sessions (workspace);
"""
SESSION_IDLE_SECONDS = 12 * 3600  # a sign-in unused this long has ended
SESSION_TOUCH_SECONDS = 60  # last-seen is rewritten at most this often, not on every request


@dataclass(frozen=True)
class Workspace:
    id: str
    name: str
    created: str


@dataclass(frozen=True)
class Version:
    id: int
    workspace: str
    number: int
    answers: Mapping[str, Any]  # as typed
    note: str
    created: str


@dataclass(frozen=True)
class Build:
    id: int
    workspace: str
    number: int
    version: int
    status: str  # queued, running, done, failed
    package: str | None
    result: Mapping[str, Any]  # statuses, plan, errors: what the build reported
    created: str

    @property
    def finished(self) -> bool:
        return self.status in ("done", "failed")


def token_sha256(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def valid_id(text: str) -> bool:
    return bool(_ID.fullmatch(text))


def _now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


class Store:
    """The data folder: ``root`` is created when missing; nothing is written outside it."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.root.mkdir(parents=True, exist_ok=True)
        with self._db() as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(_SCHEMA)

    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.root / DB_NAME, timeout=30)
        db.row_factory = sqlite3.Row
        try:
            with db:  # one transaction: committed on success, rolled back on error
                yield db
        finally:
            db.close()

    # ------------------------------------------------------------- workspaces

    def create_workspace(self, name: str) -> tuple[Workspace, str]:
        """A new workspace and its access token (shown once; only its hash is kept)."""
        token = secrets.token_urlsafe(24)
        ws = Workspace(secrets.token_hex(6), name.strip() or "Unnamed agency", _now())
        with self._db() as db:
            db.execute(
                "INSERT INTO workspaces (id, name, token_sha256, created) VALUES (?, ?, ?, ?)",
                (ws.id, ws.name, token_sha256(token), ws.created),
            )
        return ws, token

    def workspaces(self) -> list[Workspace]:
        with self._db() as db:
            rows = db.execute("SELECT id, name, created FROM workspaces ORDER BY created, name").fetchall()
        return [Workspace(**row) for row in rows]

    def workspace(self, ws_id: str) -> Workspace | None:
        if not valid_id(ws_id):
            return None
        with self._db() as db:
            row = db.execute("SELECT id, name, created FROM workspaces WHERE id = ?", (ws_id,)).fetchone()
        return Workspace(**row) if row else None

    def workspace_for_token(self, token: str) -> Workspace | None:
        with self._db() as db:
            row = db.execute(
                "SELECT id, name, created FROM workspaces WHERE token_sha256 = ?", (token_sha256(token),)
            ).fetchone()
        return Workspace(**row) if row else None

    def find_workspaces(self, ref: str) -> list[Workspace]:
        """The workspace with id ``ref``, else every one named exactly ``ref`` (names need not be unique)."""
        if (by_id := self.workspace(ref.strip())) is not None:
            return [by_id]
        with self._db() as db:
            rows = db.execute(
                "SELECT id, name, created FROM workspaces WHERE name = ? ORDER BY created, id", (ref.strip(),)
            ).fetchall()
        return [Workspace(**row) for row in rows]

    def rotate_token(self, ws: Workspace) -> str:
        """A new token for ``ws``: the old one stops opening it at once, and every sign-in made with it ends."""
        token = secrets.token_urlsafe(24)
        with self._db() as db:
            cur = db.execute("UPDATE workspaces SET token_sha256 = ? WHERE id = ?", (token_sha256(token), ws.id))
            if cur.rowcount != 1:
                raise ValueError(f"no such workspace: {ws.id!r}")
            db.execute("DELETE FROM sessions WHERE workspace = ?", (ws.id,))
        return token

    def folder(self, ws: Workspace) -> Path:
        if not valid_id(ws.id):
            raise ValueError(f"not a workspace id: {ws.id!r}")
        return self.root / "workspaces" / ws.id

    # --------------------------------------------------------------- sessions

    def open_session(self, ws: Workspace) -> str:
        """A new sign-in to ``ws``: its id goes in the browser's cookie, only its hash is kept here
        (and sessions that expired unseen are removed on the way: the table does not grow forever)."""
        session_id = secrets.token_urlsafe(32)
        now = int(time.time())
        with self._db() as db:
            db.execute("DELETE FROM sessions WHERE seen < ?", (now - SESSION_IDLE_SECONDS,))
            db.execute(
                "INSERT INTO sessions (id_sha256, workspace, created, seen) VALUES (?, ?, ?, ?)",
                (token_sha256(session_id), ws.id, now, now),
            )
        return session_id

    def session_workspace(self, session_id: str) -> Workspace | None:
        """The workspace of a live session, or None; an expired session is deleted when seen."""
        key, now = token_sha256(session_id), int(time.time())
        with self._db() as db:
            row = db.execute(
                "SELECT s.seen, w.id, w.name, w.created FROM sessions s JOIN workspaces w ON w.id = s.workspace "
                "WHERE s.id_sha256 = ?",
                (key,),
            ).fetchone()
            if row is None:
                return None
            if now - row["seen"] > SESSION_IDLE_SECONDS:
                db.execute("DELETE FROM sessions WHERE id_sha256 = ?", (key,))
                return None
            if now - row["seen"] >= SESSION_TOUCH_SECONDS:
                db.execute("UPDATE sessions SET seen = ? WHERE id_sha256 = ?", (now, key))
        return Workspace(row["id"], row["name"], row["created"])

    def close_session(self, session_id: str) -> None:
        """Sign-out: the session's cookie opens nothing afterwards, even when sent again."""
        with self._db() as db:
            db.execute("DELETE FROM sessions WHERE id_sha256 = ?", (token_sha256(session_id),))

    # --------------------------------------------------------------- versions

    def save_answers(self, ws: Workspace, tree: Mapping[str, Any], note: str) -> Version:
        """A new answer version, unless the answers are the same as the latest one."""
        text = json.dumps(tree, ensure_ascii=False)
        with self._db() as db:
            last = db.execute(
                "SELECT * FROM versions WHERE workspace = ? ORDER BY number DESC LIMIT 1", (ws.id,)
            ).fetchone()
            if last is not None and last["answers"] == text:
                return _version(last)
            number = (last["number"] if last else 0) + 1
            cur = db.execute(
                "INSERT INTO versions (workspace, number, answers, note, created) VALUES (?, ?, ?, ?, ?)",
                (ws.id, number, text, note, _now()),
            )
            row = db.execute("SELECT * FROM versions WHERE id = ?", (cur.lastrowid,)).fetchone()
        return _version(row)

    def latest(self, ws: Workspace) -> Version | None:
        with self._db() as db:
            row = db.execute(
                "SELECT * FROM versions WHERE workspace = ? ORDER BY number DESC LIMIT 1", (ws.id,)
            ).fetchone()
        return _version(row) if row else None

    def version(self, ws: Workspace, version_id: int) -> Version | None:
        with self._db() as db:
            row = db.execute("SELECT * FROM versions WHERE workspace = ? AND id = ?", (ws.id, version_id)).fetchone()
        return _version(row) if row else None

    # ----------------------------------------------------------------- builds

    def add_build(self, ws: Workspace, version: Version) -> Build:
        with self._db() as db:
            last = db.execute("SELECT MAX(number) FROM builds WHERE workspace = ?", (ws.id,)).fetchone()[0]
            cur = db.execute(
                "INSERT INTO builds (workspace, number, version, status, created) VALUES (?, ?, ?, 'queued', ?)",
                (ws.id, (last or 0) + 1, version.id, _now()),
            )
            row = db.execute("SELECT * FROM builds WHERE id = ?", (cur.lastrowid,)).fetchone()
        return _build(row)

    def set_build(self, build: Build, status: str, package: str | None = None, result: Any = None) -> None:
        with self._db() as db:
            db.execute(
                "UPDATE builds SET status = ?, package = COALESCE(?, package), result = ? WHERE id = ?",
                (status, package, json.dumps(result or {}, ensure_ascii=False), build.id),
            )

    def builds(self, ws: Workspace) -> list[Build]:
        with self._db() as db:
            rows = db.execute("SELECT * FROM builds WHERE workspace = ? ORDER BY number DESC", (ws.id,)).fetchall()
        return [_build(r) for r in rows]

    def build(self, ws: Workspace, number: int) -> Build | None:
        with self._db() as db:
            row = db.execute("SELECT * FROM builds WHERE workspace = ? AND number = ?", (ws.id, number)).fetchone()
        return _build(row) if row else None

    def build_folder(self, ws: Workspace, number: int) -> Path:
        return self.folder(ws) / "builds" / str(int(number))

    def package_folder(self, ws: Workspace, build: Build) -> Path | None:
        """The folder of a finished build's package; None when it has none."""
        if build.status != "done" or not build.package or not re.fullmatch(r"[a-z0-9-]+", build.package):
            return None
        folder = self.build_folder(ws, build.number) / build.package
        return folder if folder.is_dir() else None

    def abandon_unfinished(self) -> None:
        """Builds a stopped server left queued or running are marked failed (their folder is partial)."""
        message = {"errors": ["the server stopped before this build finished; build again"]}
        with self._db() as db:
            db.execute(
                "UPDATE builds SET status = 'failed', result = ? WHERE status IN ('queued', 'running')",
                (json.dumps(message),),
            )


def _version(row: sqlite3.Row) -> Version:
    return Version(row["id"], row["workspace"], row["number"], json.loads(row["answers"]), row["note"], row["created"])


def _build(row: sqlite3.Row) -> Build:
    return Build(
        row["id"],
        row["workspace"],
        row["number"],
        row["version"],
        row["status"],
        row["package"],
        json.loads(row["result"]),
        row["created"],
    )
