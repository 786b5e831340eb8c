"""The JSON API, through FastAPI's TestClient: every endpoint, and bad uploads."""

import io
import json
import zipfile

import openpyxl
import pytest

from assembler import answers
from assembler.answers import yamlread
from assembler.web.store import Store

from conftest import EXAMPLE
from webforms import make_client


def post(client, blob: bytes, name="example.yaml", token=None, **form):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.post("/api/packages", files={"answers": (name, blob)}, data=form, headers=headers)


@pytest.fixture
def client(tmp_path):
    with make_client(tmp_path) as c:
        yield c


def test_post_an_answer_file_then_read_plan_manifest_documents_and_zip(tmp_path):
    with make_client(tmp_path, processes=True) as client:  # the real worker processes
        response = post(client, EXAMPLE.read_bytes())
        assert response.status_code == 201, response.text
        build = response.json()
        assert build["status"] == "done" and build["package"] == "cdhs-cascade" and build["build"] == 1
        files = {d["file"]: d for d in build["documents"]}
        assert set(files) == {
            "00-Phase-Checklist-Summary.docx",
            "00-Phase-Checklist.xlsx",
            "01-Charter.docx",
            "02-Resource-Management-Plan.docx",
            "03-Master-Schedule.xlsx",
            "03-Master-Schedule.xml",
            "04-Business-Continuity-Plan-Outline.docx",
            "05-Launch-Meeting-Agenda.docx",
            "05-Launch-Meeting-Deck.pptx",
            "05-Launch-Meeting.ics",
            "06-Plan-Review-Register.docx",
            "07-MO-Plan.docx",
        }
        manifest = client.get(build["links"]["manifest"]).json()
        assert manifest["agency"] == "Cascadia Department of Human Services"
        for doc in manifest["documents"]:
            blob = client.get(files[doc["file"]]["url"]).content
            assert __import__("hashlib").sha256(blob).hexdigest() == doc["sha256"] == files[doc["file"]]["sha256"]
        sheet = openpyxl.load_workbook(io.BytesIO(client.get(files["03-Master-Schedule.xlsx"]["url"]).content))
        assert sheet.worksheets[0].title
        plan = client.get(build["links"]["plan"]).json()
        charter = next(d for d in plan["deliverables"] if d["id"] == "charter")
        assert charter["action"] == "generate"
        assert charter["reasons"][0]["answers"] == {"phase.kind": "mo_pre_initiation", "phase.key_tasks": "(not given)"}
        assert len(plan["plans"]) == 10
        archive = zipfile.ZipFile(io.BytesIO(client.get(build["links"]["zip"]).content))
        assert sorted(archive.namelist())[0] == "cdhs-cascade/00-Phase-Checklist-Summary.docx"
        ws = build["workspace"]
        assert client.get(f"/api/workspaces/{ws}/builds").json()[0]["build"] == 1
        assert client.get(f"/api/workspaces/{ws}/builds/1").json()["status"] == "done"
        typed = answers.parse_text(client.get(f"/api/workspaces/{ws}/answers").text, "a")[0]
        assert typed == answers.read_tree(EXAMPLE)[0]


def test_a_second_build_into_the_same_workspace_reports_what_changed(client):
    ws = post(client, EXAMPLE.read_bytes()).json()["workspace"]
    changed = EXAMPLE.read_text(encoding="utf-8").replace("Conference Room 3B", "Conference Room 4A")
    second = post(client, changed.encode(), workspace=ws).json()
    assert second["build"] == 2 and second["workspace"] == ws
    plan = client.get(second["links"]["plan"]).json()
    agenda = next(d for d in plan["deliverables"] if d["id"] == "launch_agenda")
    assert agenda["status"] == "regenerate" and agenda["status_reasons"] == ["launch_meeting.location changed"]
    diff = client.get(f"/api/workspaces/{ws}/compare", params={"old": 1, "new": 2}).json()
    assert diff["answers"] == [
        {
            "path": "launch_meeting.location",
            "old": "CDHS Headquarters, Conference Room 3B, and video conference",
            "new": "CDHS Headquarters, Conference Room 4A, and video conference",
        }
    ]
    draft = client.get(f"/api/workspaces/{ws}/plan").json()
    assert {d["status"] for d in draft["deliverables"]} == {"up to date"}


@pytest.mark.parametrize(
    ("blob", "where", "message"),
    [
        (b"agency: [unclosed\n", "bad.yaml:2", "not valid YAML"),
        (EXAMPLE.read_bytes().replace(b"level: state", b"level: galactic"), "bad.yaml:8", "agency.level"),
        (EXAMPLE.read_bytes().replace(b"  short_name: CDHS\n", b""), "bad.yaml", "agency.short_name"),
        (b"a: 1\na: 2\n", "bad.yaml:2", "duplicate"),
        (b"\xef\xbb\xbf\xc3\x28", "bad.yaml:1", "UTF-8"),
        (b"", "bad.yaml", ""),
        (b"x" * (yamlread.MAX_BYTES + 1), "bad.yaml", "larger than 2 MB"),
    ],
)
def test_bad_uploads_are_refused_with_the_cli_messages(client, blob, where, message):
    response = post(client, blob, name="bad.yaml")
    assert response.status_code == 422
    body = response.json()
    assert any(line.startswith(where) and message in line for line in body["lines"]), body
    assert client.app.state.ctx.store.workspaces() == []  # nothing was kept


def test_requests_without_a_file_or_too_large_are_refused(client):
    assert client.post("/api/packages").status_code == 422
    huge = client.post("/api/packages", content=b"x", headers={"Content-Length": str(50 * 1024 * 1024)})
    assert huge.status_code == 413


def test_with_tokens_the_api_needs_the_bearer_of_the_workspace(tmp_path):
    store = Store(tmp_path)
    mine, token = store.create_workspace("Mine")
    _other, other_token = store.create_workspace("Other")
    with make_client(tmp_path, auth="token") as client:
        assert post(client, EXAMPLE.read_bytes()).status_code == 401
        client.cookies.set("assembler_token", token)  # a cookie alone never authorizes an API post
        assert post(client, EXAMPLE.read_bytes()).status_code == 401
        client.cookies.clear()
        assert post(client, EXAMPLE.read_bytes(), token=other_token, workspace=mine.id).status_code == 403
        built = post(client, EXAMPLE.read_bytes(), token=token)
        assert built.status_code == 201 and built.json()["workspace"] == mine.id
        base = f"/api/workspaces/{mine.id}"
        for path in ("/builds", "/builds/1", "/builds/1/plan", "/builds/1/manifest", "/plan", "/answers"):
            assert client.get(base + path, headers={"Authorization": f"Bearer {other_token}"}).status_code == 403
            assert client.get(base + path).status_code == 401
            assert client.get(base + path, headers={"Authorization": f"Bearer {token}"}).status_code == 200, path
        refused = client.get(f"{base}/builds/1/documents/01-Charter.docx", headers={"Authorization": "Bearer x"})
        assert refused.status_code == 401 and "Charter" not in refused.text


def test_missing_things_are_404_and_an_incomplete_draft_has_no_plan(client):
    ws = post(client, EXAMPLE.read_bytes()).json()["workspace"]
    assert client.get(f"/api/workspaces/{ws}/builds/5").status_code == 404
    assert client.get(f"/api/workspaces/{ws}/builds/1/documents/..%2F..%2Fassembler.sqlite3").status_code == 404
    assert client.get("/api/workspaces/000000000000/builds").status_code == 404
    store = client.app.state.ctx.store
    store.save_answers(store.workspace(ws), {"agency": {"name": "A"}}, "partial")
    incomplete = client.get(f"/api/workspaces/{ws}/plan")
    assert incomplete.status_code == 422
    missing = {"path": "agency.short_name", "message": "is required but missing", "step": 2}  # the phase is step 1
    assert missing in incomplete.json()["problems"]


def test_the_api_is_described_by_openapi(client):
    spec = client.get("/openapi.json").json()
    paths = set(spec["paths"])
    assert "/api/packages" in paths and "/api/workspaces/{ws_id}/builds/{number}/manifest" in paths
    assert not any(p.startswith("/w/") for p in paths)  # the pages are not API
    body = json.dumps(spec["paths"]["/api/packages"]["post"])
    assert "answers" in body and "multipart/form-data" in body


def test_a_null_origin_is_refused_on_every_state_changing_route(tmp_path):
    """What a sandboxed frame or a data: page sends: no page of ours, so never a change."""
    from webforms import new_workspace

    with make_client(tmp_path) as client:
        ws_url, token = new_workspace(client)
        ws = ws_url.rsplit("/", 1)[-1]
        before = post(client, EXAMPLE.read_bytes()).json()["build"]
        store = Store(tmp_path)
        versions = len(store.builds(store.workspace(ws)))
        from assembler.web import api, downloads, pages

        routes = [
            (method, route.path)
            for router in (pages.router, downloads.router, api.router)
            for route in router.routes
            for method in getattr(route, "methods", set()) - {"GET", "HEAD", "OPTIONS"}
        ]
        assert len(routes) >= 8  # pages and API alike
        for method, path in routes:
            url = path.replace("{ws_id}", ws).replace("{number}", "1").replace("{step}", "agency")
            url = url.replace("{old}", "1").replace("{new}", "1")
            data = {"csrf": token, "name": "Evil", "agency.name": "Evil"}
            response = client.request(method, url, data=data, headers={"Origin": "null"})
            assert response.status_code == 403, (method, url, response.status_code)
            assert response.text == "cross-site request refused"
        response = client.post(
            "/api/packages", files={"answers": ("x.yaml", b"agency: {name: Evil}\n")}, headers={"Origin": "null"}
        )
        assert response.status_code == 403
        assert len(store.builds(store.workspace(ws))) == versions and before == 1
        assert [w.name for w in store.workspaces()] == ["Cascadia DHS", "Cascadia Department of Human Services"]


def test_an_upload_with_thousands_of_unknown_fields_gets_the_counted_error(client):
    blob = EXAMPLE.read_bytes() + "".join(f"k{i}: {i}\n" for i in range(20000)).encode()
    response = post(client, blob, name="many.yaml")
    assert response.status_code == 422
    lines = response.json()["lines"]
    assert len(lines) == 21 and lines[-1].endswith(": k20: unknown field, and 19979 more after it (not listed)")
    assert post(client, EXAMPLE.read_bytes()).status_code == 201  # the service goes on
