"""Web builds: each in its own folder, concurrent builds never share one, zips are deterministic."""

import io
import zipfile
from concurrent.futures import wait

from assembler import answers
from assembler.web import runner
from assembler.web.store import Store

from conftest import EXAMPLE


def test_concurrent_builds_of_one_workspace_each_get_their_own_complete_package(tmp_path):
    store = Store(tmp_path)
    ws, _ = store.create_workspace("Cascadia")
    pool = runner.Runner(store, workers=2, processes=False)
    tree = answers.read_tree(EXAMPLE)[0]
    rooms = ("Room 1", "Room 2", "Room 3", "Room 4")
    try:
        started = []
        for room in rooms:
            meeting = {**tree["launch_meeting"], "location": room}
            version = store.save_answers(ws, {**tree, "launch_meeting": meeting}, room)
            started.append(pool.build(ws, version))
        wait([future for _, future in started])
    finally:
        pool.shutdown()
    for (build, _), room in zip(started, rooms, strict=True):
        done = store.build(ws, build.number)
        assert done.status == "done", done.result
        folder = store.package_folder(ws, done)
        manifest = runner.manifest(folder)
        assert manifest["answers"]["values"]["launch_meeting.location"] == room
        assert {d["file"] for d in runner.documents(folder)} == {d["file"] for d in manifest["documents"]}
        assert (folder.parent / runner.ANSWERS_NAME).read_text(encoding="utf-8").count(f"location: {room}") == 1


def test_a_build_with_a_problem_fails_with_the_message_and_the_zip_is_the_same_bytes_each_time(tmp_path):
    store = Store(tmp_path)
    ws, _ = store.create_workspace("Cascadia")
    pool = runner.Runner(store, workers=1, processes=False)
    tree = answers.read_tree(EXAMPLE)[0]
    broken = {**tree, "schedule": [*tree["schedule"], {"wbs": "9", "name": "Late", "predecessors": ["77"]}]}
    try:
        bad, bad_future = pool.build(ws, store.save_answers(ws, broken, "broken"))
        good, good_future = pool.build(ws, store.save_answers(ws, tree, "good"))
        wait([bad_future, good_future])
    finally:
        pool.shutdown()
    failed = store.build(ws, bad.number)
    assert failed.status == "failed" and any("answers.yaml:" in e and "77" in e for e in failed.result["errors"])
    assert str(tmp_path) not in " ".join(failed.result["errors"])
    folder = store.package_folder(ws, store.build(ws, good.number))
    blob = runner.package_zip(folder, folder.parent / runner.ANSWERS_NAME)
    assert blob == runner.package_zip(folder, folder.parent / runner.ANSWERS_NAME)
    infos = zipfile.ZipFile(io.BytesIO(blob)).infolist()
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
    assert [i.filename for i in infos][-1] == "cdhs-cascade/answers.yaml"


def test_upload_names_are_reduced_to_a_plain_file_name():
    assert runner.safe_name("../../etc/passwd") == "passwd"
    assert runner.safe_name("C:\\Users\\me\\my answers.yaml") == "my_answers.yaml"
    assert runner.safe_name("..") == "answers.yaml" and runner.safe_name(None) == "answers.yaml"
