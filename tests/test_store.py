"""The web service's SQLite store: workspaces and tokens, answer versions, builds."""

import sqlite3

from assembler.web.store import DB_NAME, Store, token_sha256, valid_id


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
