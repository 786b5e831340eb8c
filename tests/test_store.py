"""The web service's SQLite store: workspaces and tokens, sessions, answer versions, builds."""

import sqlite3

from assembler.web.store import DB_NAME, SESSION_IDLE_SECONDS, Store, token_sha256, valid_id


def test_a_workspace_opens_with_its_token_only_and_the_token_is_not_stored(tmp_path):
    store = Store(tmp_path)
    ws, token = store.create_workspace("  Cascadia DHS ")
    other, other_token = store.create_workspace("Another")
    assert ws.name == "Cascadia DHS" and valid_id(ws.id) and ws.id != other.id
    assert store.workspace_for_token(token) == ws
    assert store.workspace_for_token(other_token) == other
    assert store.workspace_for_token(token + "x") is None
    stored = sqlite3.connect(tmp_path / DB_NAME).execute("SELECT token_sha256 FROM workspaces").fetchall()
    assert (token_sha256(token),) in stored and all(token not in row[0] for row in stored)
    assert store.workspace("../../etc") is None and store.workspace(ws.id) == ws
    assert store.folder(ws) == tmp_path.resolve() / "workspaces" / ws.id


def test_answers_are_kept_as_versions_and_an_unchanged_save_adds_none(tmp_path):
    store = Store(tmp_path)
    ws, _ = store.create_workspace("A")
    assert store.latest(ws) is None
    first = store.save_answers(ws, {"agency": {"name": "NO"}}, "step 1")
    again = store.save_answers(ws, {"agency": {"name": "NO"}}, "step 1")
    second = store.save_answers(ws, {"agency": {"name": "010"}}, "step 1")
    assert first == again and second.number == 2
    assert store.latest(ws).answers == {"agency": {"name": "010"}}  # as typed: text stays text
    assert store.version(ws, first.id).answers == {"agency": {"name": "NO"}}
    other, _ = store.create_workspace("B")
    assert store.version(other, first.id) is None  # another workspace's version is not found


def test_builds_are_numbered_per_workspace_and_a_stopped_server_fails_its_unfinished_builds(tmp_path):
    store = Store(tmp_path)
    ws, _ = store.create_workspace("A")
    version = store.save_answers(ws, {}, "empty")
    one, two = store.add_build(ws, version), store.add_build(ws, version)
    assert (one.number, two.number, one.status) == (1, 2, "queued")
    store.set_build(one, "done", "cdhs-cascade", {"changed": 6})
    assert store.build(ws, 1).result == {"changed": 6} and store.build(ws, 1).package == "cdhs-cascade"
    assert store.package_folder(ws, store.build(ws, 1)) is None  # no folder on disk: no package
    (store.build_folder(ws, 1) / "cdhs-cascade").mkdir(parents=True)
    assert store.package_folder(ws, store.build(ws, 1)) == store.build_folder(ws, 1) / "cdhs-cascade"
    Store(tmp_path).abandon_unfinished()
    assert store.build(ws, 2).status == "failed" and "stopped" in store.build(ws, 2).result["errors"][0]
    assert [b.number for b in store.builds(ws)] == [2, 1]


def _db(tmp_path):
    return sqlite3.connect(tmp_path / DB_NAME, isolation_level=None)


def test_a_session_keeps_only_its_hash_and_ends_when_closed_or_unused_for_12_hours(tmp_path):
    store = Store(tmp_path)
    ws, _ = store.create_workspace("A")
    first, second = store.open_session(ws), store.open_session(ws)
    assert first != second and store.session_workspace(first) == ws and store.session_workspace("nope") is None
    rows = _db(tmp_path).execute("SELECT id_sha256, workspace FROM sessions").fetchall()
    assert sorted(rows) == sorted([(token_sha256(first), ws.id), (token_sha256(second), ws.id)])
    store.close_session(first)
    assert store.session_workspace(first) is None and store.session_workspace(second) == ws
    _db(tmp_path).execute("UPDATE sessions SET seen = seen - ?", (SESSION_IDLE_SECONDS + 1,))
    assert store.session_workspace(second) is None
    assert _db(tmp_path).execute("SELECT COUNT(*) FROM sessions").fetchone() == (0,)  # deleted when seen


def test_a_session_in_use_is_refreshed_at_most_once_a_minute(tmp_path):
    store = Store(tmp_path)
    ws, _ = store.create_workspace("A")
    session = store.open_session(ws)
    db = _db(tmp_path)
    db.execute("UPDATE sessions SET seen = seen - 30")
    before = db.execute("SELECT seen FROM sessions").fetchone()[0]
    assert store.session_workspace(session) == ws
    assert db.execute("SELECT seen FROM sessions").fetchone()[0] == before  # not rewritten within the minute
    db.execute("UPDATE sessions SET seen = seen - ?", (SESSION_IDLE_SECONDS - 60,))
    assert store.session_workspace(session) == ws
    assert db.execute("SELECT seen FROM sessions").fetchone()[0] > before  # used: 12 more hours
    store.open_session(ws)  # opening a session sweeps away the ones expired unseen
    db.execute("UPDATE sessions SET seen = seen - ?", (SESSION_IDLE_SECONDS + 1,))
    store.open_session(ws)
    assert db.execute("SELECT COUNT(*) FROM sessions").fetchone() == (1,)


def test_rotating_a_token_revokes_the_old_one_and_every_session(tmp_path):
    store = Store(tmp_path)
    ws, old = store.create_workspace("A")
    other, other_token = store.create_workspace("B")
    mine, theirs = store.open_session(ws), store.open_session(other)
    new = store.rotate_token(ws)
    assert new != old and store.workspace_for_token(new) == ws and store.workspace_for_token(old) is None
    assert store.session_workspace(mine) is None
    assert store.session_workspace(theirs) == other and store.workspace_for_token(other_token) == other


def test_a_workspace_is_found_by_its_id_or_its_exact_name(tmp_path):
    store = Store(tmp_path)
    one, _ = store.create_workspace("Cascadia DHS")
    two, _ = store.create_workspace("Twin")
    three, _ = store.create_workspace("Twin")
    assert store.find_workspaces(one.id) == [one] and store.find_workspaces("Cascadia DHS") == [one]
    assert store.find_workspaces("cascadia dhs") == [] and store.find_workspaces("Cascadia") == []
    assert sorted(store.find_workspaces("Twin"), key=lambda w: w.id) == sorted([two, three], key=lambda w: w.id)


def test_a_data_folder_from_before_sessions_gets_the_sessions_table(tmp_path):
    db = _db(tmp_path)
    db.execute("CREATE TABLE workspaces (id TEXT PRIMARY KEY, name TEXT NOT NULL, token_sha256 TEXT, created TEXT)")
    db.execute("INSERT INTO workspaces VALUES ('0123456789ab', 'Old', ?, 'then')", (token_sha256("t"),))
    store = Store(tmp_path)
    ws = store.workspace_for_token("t")
    assert ws is not None and store.session_workspace(store.open_session(ws)) == ws
