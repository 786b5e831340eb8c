"""The pages, through FastAPI's TestClient: the interview steps, uploads, plan, builds, downloads, comparison."""

import io
import zipfile

import docx
import pytest

from assembler import answers
from assembler.answers import yamlread
from assembler.rules import catalog
from assembler.web import asked

from conftest import ANSWERS, EXAMPLE
from webforms import as_post, csrf_of, form_fields, interview_form, make_client, new_workspace, wait_for_build

STEPS = {s.key: s.number for s in asked.steps()}  # the phase first, then the agency and the system
STEP_COUNT = len(STEPS)


@pytest.fixture
def client(tmp_path):
    with make_client(tmp_path) as c:
        yield c


def upload(client, ws, token, text: bytes, name="answers.yaml"):
    return client.post(f"{ws}/upload", data={"csrf": token}, files={"answers": (name, text)}, follow_redirects=False)


@pytest.mark.parametrize("name", ["example.yaml", "dmv-continuing-contractor.yaml", "federal-hr-migration.yaml"])
def test_every_step_sent_back_as_shown_keeps_the_answers_exactly(client, name):
    ws, token = new_workspace(client)
    assert upload(client, ws, token, (ANSWERS / name).read_bytes(), name).status_code == 303
    for number in range(1, STEP_COUNT + 1):
        page = client.get(f"{ws}/step/{number}")
        sent = client.post(f"{ws}/step/{number}", data=as_post(interview_form(page.text), action="next"))
        assert sent.status_code == 200 and "error-summary" not in sent.text, (number, sent.text[:500])
    text = client.get(f"{ws}/answers.yaml").text
    assert answers.parse_text(text, "a.yaml")[0] == answers.read_tree(ANSWERS / name)[0]


def test_a_wrong_answer_is_shown_next_to_its_field_with_the_cli_message(client):
    ws, _token = new_workspace(client)
    form = as_post(interview_form(client.get(f"{ws}/step/1").text), action="next")
    form["phase.start"] = ["2027-02-30"]
    page = client.post(f"{ws}/step/1", data=form, follow_redirects=False)
    assert page.status_code == 422
    summary = '<a href="#f-phase-start">Phase start date: &#39;2027-02-30&#39; is not a real calendar date</a>'
    assert summary in page.text
    assert 'id="f-phase-start-error"' in page.text and 'aria-invalid="true"' in page.text
    assert 'value="2027-02-30"' in page.text  # what was typed stays in the field
    assert client.get(f"{ws}/answers.yaml").text.count("start: 2027-02-30") == 1  # and is saved as typed


def test_rows_grow_with_add_and_the_plan_lists_the_steps_to_correct(client):
    ws, _token = new_workspace(client)
    form = as_post(interview_form(client.get(f"{ws}/step/5").text), action="add:people")
    form["people.0.name"] = ["Maria Okafor"]
    added = client.post(f"{ws}/step/5", data=form, follow_redirects=False)
    assert added.headers["location"].endswith("/step/5?add=people#f-people")
    page = client.get(added.headers["location"]).text
    assert "Person 1: Maria Okafor" in page and "Person 2" in page and 'name="people.1.name"' in page
    plan = client.get(f"{ws}/plan").text
    assert "Some answers are missing or wrong" in plan and f"{ws}/step/5?check=1" in plan
    assert f'href="{ws}/step/5?check=1#f-people-0-title"' in plan
    assert "People and their roles – Person 1: Job title: an answer is required here" in plan
    checked = client.get(f"{ws}/step/5?check=1").text
    assert "Person 1: Job title: an answer is required here" in checked


def test_upload_is_checked_like_the_cli_and_a_bad_file_changes_nothing(client):
    ws, token = new_workspace(client)
    assert upload(client, ws, token, EXAMPLE.read_bytes()).status_code == 303
    bad = EXAMPLE.read_text(encoding="utf-8").replace("level: state", "level: galactic")
    page = upload(client, ws, token, bad.encode(), "../../etc/evil name.yaml")
    assert page.status_code == 422
    assert "Line 8, The agency – Level of government: &#39;galactic&#39; is not allowed" in page.text
    assert "/etc" not in page.text and str(client.app.state.ctx.store.root) not in page.text
    assert "level: state" in client.get(f"{ws}/answers.yaml").text
    for blob, message in (
        (b"agency: [unclosed", "not valid YAML"),
        (b"a: &x 1\nb: *x\n", "anchors"),
        (b"\xff\xfe", "is not valid UTF-8"),
        (b"x" * (yamlread.MAX_BYTES + 1), "larger than 2 MB"),
    ):
        page = upload(client, ws, token, blob)
        assert page.status_code in (413, 422) and (message in page.text or page.status_code == 413), message
    assert client.post(f"{ws}/upload", data={"csrf": token}).status_code == 422


def test_build_download_and_compare_two_builds(client):
    ws, token = new_workspace(client)
    upload(client, ws, token, EXAMPLE.read_bytes())
    plan = client.get(f"{ws}/plan").text
    assert "Build the package" in plan and "Pre-Initiation needs an M&amp;O Charter" in plan
    first = wait_for_build(client, client.post(f"{ws}/build", data={"csrf": token}).url.path)
    assert "The package is ready." in first.text
    zipped = client.get(f"{ws}/builds/1/package.zip")
    assert zipped.headers["content-disposition"] == 'attachment; filename="cdhs-cascade.zip"'
    archive = zipfile.ZipFile(io.BytesIO(zipped.content))
    assert "cdhs-cascade/manifest.json" in archive.namelist() and "cdhs-cascade/answers.yaml" in archive.namelist()
    assert client.get(f"{ws}/builds/1/package.zip").content == zipped.content  # the same bytes every time

    changed = EXAMPLE.read_text(encoding="utf-8").replace("Conference Room 3B", "Conference Room 4A")
    upload(client, ws, token, changed.encode())
    assert "answer changed: Launch meeting – Location" in client.get(f"{ws}/plan").text
    second = wait_for_build(client, client.post(f"{ws}/build", data={"csrf": token}).url.path)
    assert "regenerate" in second.text and "What changed since build 1" in second.text
    agenda = client.get(f"{ws}/builds/2/files/05-Launch-Meeting-Agenda.docx")
    text = "\n".join(c.text for t in docx.Document(io.BytesIO(agenda.content)).tables for r in t.rows for c in r.cells)
    assert "Conference Room 4A" in text
    page = client.get(f"{ws}/compare?old=1&new=2").text
    assert "<del>3B," in page and "<ins>4A," in page and "<td>Launch meeting – Location</td>" in page
    assert "Conference Room [-3B,-]" in client.get(f"{ws}/compare?old=1&new=2&format=text").text
    html = client.get(f"{ws}/compare?old=1&new=2&format=html")
    assert html.headers["content-disposition"].startswith("attachment") and "<ins>" in html.text
    listing = client.get(f"{ws}/builds").text
    assert "Build 2" in listing and "Show what changed" in listing
    builds_answers = client.get(f"{ws}/builds/1/answers.yaml").text
    assert "Conference Room 3B" in builds_answers


def test_no_request_path_reaches_the_file_system_unchecked(client):
    ws, token = new_workspace(client)
    upload(client, ws, token, EXAMPLE.read_bytes())
    wait_for_build(client, client.post(f"{ws}/build", data={"csrf": token}).url.path)
    for name in ("..%2F..%2Fassembler.sqlite3", "..%2Fanswers.yaml", "%2Fetc%2Fpasswd", "secret.key", "x.docx"):
        assert client.get(f"{ws}/builds/1/files/{name}").status_code == 404, name
    assert client.get(f"{ws}/builds/1/files/manifest.json").json()["package"] == "cdhs-cascade"
    assert client.get(f"{ws}/builds/9").status_code == 404
    assert client.get(f"{ws}/step/0").status_code == 404 and client.get(f"{ws}/step/99").status_code == 404
    assert client.get("/w/..%2F..%2Fetc").status_code == 404
    assert client.get(f"{ws}/compare?old=1&new=7").status_code == 404


def test_start_anew_keeps_the_earlier_answers_as_a_version(client):
    ws, token = new_workspace(client)
    upload(client, ws, token, EXAMPLE.read_bytes())
    anew = client.post(f"{ws}/new", data={"csrf": token}, follow_redirects=False)
    assert anew.headers["location"].endswith("/step/1")
    store = client.app.state.ctx.store
    workspace = store.workspaces()[0]
    assert store.latest(workspace).answers == {} and store.latest(workspace).number == 2
    saved = client.post(f"{ws}/step/2", data={"csrf": token, "agency.name": ["X"], "action": "save"})
    assert "Your answers are saved" in saved.text
    assert csrf_of(saved.text)


def test_the_last_part_leads_to_a_review_of_every_answer_with_a_link_to_change_each(client):
    ws, token = new_workspace(client)
    assert upload(client, ws, token, EXAMPLE.read_bytes()).status_code == 303
    page = client.get(f"{ws}/step/{STEP_COUNT}")
    sent = client.post(f"{ws}/step/{STEP_COUNT}", data=as_post(interview_form(page.text), action="next"))
    assert sent.url.path.endswith("/review")
    review = sent.text
    assert "<h1>Your answers</h1>" in review and "error-summary" not in review
    for text in ("Cascadia Department of Human Services", "CDHS Headquarters, Conference Room 3B", "Acme Operations"):
        assert text in review
    assert "M&amp;O Pre-Initiation" in review  # a choice shown by its label, not its value
    changes = review.count(">Change<span")
    assert changes >= 12 and f'href="{ws}/step/1">Change' in review and f'href="{ws}/step/2">Change' in review
    assert f'href="{ws}/plan">See what will be produced and why' in review


def test_continue_resumes_at_the_first_part_not_answered_and_leaving_by_the_list_saves(client):
    ws, _ = new_workspace(client)
    overview = client.get(ws).text
    assert f'href="{ws}/step/1">Start the interview' in overview
    page = client.get(f"{ws}/step/2")
    form = as_post(interview_form(page.text), action="next")
    form["agency.name"], form["agency.short_name"] = ["Bayview County"], ["BVC"]
    client.post(f"{ws}/step/2", data=form)
    assert f'href="{ws}/step/1">Continue the interview' in client.get(ws).text  # the phase is not answered yet
    # on part 3, going to part 5 by the list of parts keeps what was typed on part 3
    form = as_post(interview_form(client.get(f"{ws}/step/3").text), action="go:5")
    form["system.name"] = ["Bayview Benefits Portal"]
    moved = client.post(f"{ws}/step/3", data=form, follow_redirects=False)
    assert moved.status_code == 303 and moved.headers["location"] == f"{ws}/step/5"
    assert "Bayview Benefits Portal" in client.get(f"{ws}/answers.yaml").text
    assert 'form="step-form" name="action" value="go:1"' in client.get(f"{ws}/step/5").text
    bad = as_post(interview_form(client.get(f"{ws}/step/3").text), action="go:99")
    assert client.post(f"{ws}/step/3", data=bad).status_code == 404


def test_the_agency_name_is_offered_from_the_workspace(client):
    ws, _ = new_workspace(client, "Bayview County Human Services")
    page = client.get(f"{ws}/step/{STEPS['agency']}").text
    assert 'name="agency.name" type="text" value="Bayview County Human Services"' in page


def test_responsibilities_say_why_nothing_is_asked_and_count_as_done_without_those_roles(client):
    ws, _ = new_workspace(client)
    page = client.get(f"{ws}/step/{STEPS['role_needs']}").text
    assert "No one holds either role in &#34;People and their roles&#34;, so nothing is needed here" in page
    form = as_post(interview_form(client.get(f"{ws}/step/2").text), action="next")
    form["agency.name"], form["agency.short_name"] = ["Bayview County"], ["BVC"]
    client.post(f"{ws}/step/2", data=form)
    assert f"2 of {STEP_COUNT} parts answered" in client.get(ws).text  # the agency, and this part


def test_an_m3_selection_agency_names_its_phase_and_key_tasks_first_and_builds(client):
    ws, token = new_workspace(client, "Federal Office of Management and Compliance")
    assert upload(client, ws, token, (ANSWERS / "federal-hr-migration.yaml").read_bytes()).status_code == 303
    page = client.get(f"{ws}/step/1").text
    assert "<h1>The phase</h1>" in page
    labels = dict(asked.interview().find("phase.kind").choices)
    assert f'<option value="m3_selection">{labels["m3_selection"]}</option>' in page  # the catalog's kinds
    form = as_post(interview_form(page), action="next")
    form["phase.kind"] = ["m3_selection"]  # nothing ticked among the key tasks
    sent = client.post(f"{ws}/step/1", data=form)
    assert sent.status_code == 422
    selection = catalog.load().phase("m3_selection")
    assert f"name the key tasks under way in {selection.title}" in sent.text
    for task in selection.key_tasks:  # the checklist now holds phase 2's key tasks
        assert f'name="phase.key_tasks" value="{task.id}"' in sent.text and f"{task.id} {task.name}" in sent.text
    fields = [(k, v) for k, v in form_fields(sent.text, sent.text.count("<form") - 1) if k != "phase.key_tasks"]
    form = as_post([*fields, ("phase.key_tasks", "2.3"), ("phase.key_tasks", "2.4")], action="next")
    moved = client.post(f"{ws}/step/1", data=form, follow_redirects=False)
    assert moved.status_code == 303 and moved.headers["location"] == f"{ws}/step/2"
    for number in range(2, STEP_COUNT + 1):  # the other parts, sent back as shown
        shown = client.get(f"{ws}/step/{number}")
        back = client.post(f"{ws}/step/{number}", data=as_post(interview_form(shown.text), action="next"))
        assert back.status_code == 200 and "error-summary" not in back.text, (number, back.text[:500])
    tree = answers.parse_text(client.get(f"{ws}/answers.yaml").text, "a.yaml")[0]
    assert tree["phase"]["kind"] == "m3_selection" and tree["phase"]["key_tasks"] == ["2.3", "2.4"]
    assert "Key tasks under way" in client.get(f"{ws}/review").text
    plan = client.get(f"{ws}/plan").text
    assert "Build the package" in plan and "Program Management Plan" in plan
    built = wait_for_build(client, client.post(f"{ws}/build", data={"csrf": token}).url.path)
    assert "The package is ready." in built.text
    document = client.get(f"{ws}/builds/1/files/07-Program-Management-Plan.docx")
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(document.content)).paragraphs)
    assert tree["agency"]["name"] in text and tree["system"]["name"] in text
