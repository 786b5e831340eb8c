"""The words of the pages: no answer paths or code in what a person reads, each project office term
explained where a page first uses it, each document's purpose shown, and the plan's problems linked
to the very field to correct."""

import copy
import re
from html.parser import HTMLParser

import pytest
from markupsafe import Markup

from assembler import answers
from assembler.interview import forms, questions
from assembler.rules import catalog
from assembler.web import glossary

from conftest import EXAMPLE
from webforms import make_client, new_workspace, wait_for_build

STEPS = forms.steps(questions.load())

# What an answer path looks like in the answer file, and so what must never reach a page: names
# joined by dots, three parts or more (operations.business_continuity.in_place); any name with a
# list index (people[0].title); a dotted pair with an underscore in it (launch_meeting.location).
# Not flagged, as nothing a person would call code: e-mail addresses (taken out of the text first);
# numbers with dots (version 0.1.0, WBS numbers 1.1.2, releases 2027.3, dates 2027-01-04), since
# every part of a path starts with a letter; and file names (01-Charter.docx, answers.yaml), which
# have two parts and no underscore before the dot.
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PATH = re.compile(
    r"\b[A-Za-z_]\w*(?:\[\d+\])?(?:\.[A-Za-z_]\w*(?:\[\d+\])?){2,}\b"  # three parts or more
    r"|\b\w+\[\d+\]"  # a list index
    r"|\b[a-z]+_\w*\.[a-z]\w*\b|\b[a-z]+\.[a-z]+_\w*\b"  # a snake_case name in a dotted pair
)


class _Main(HTMLParser):
    """The text a person reads in <main>: no tags, attributes, scripts or styles; optionally
    without the glossary's explanations."""

    def __init__(self, notes: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.notes, self.inside, self.skip = notes, False, 0
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "main":
            self.inside = True
        elif self.skip or tag in ("script", "style") or (not self.notes and ("class", "term-note") in attrs):
            self.skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "main":
            self.inside = False
        elif self.skip and tag in ("span", "script", "style"):
            self.skip -= 1

    def handle_data(self, data: str) -> None:
        if self.inside and not self.skip:
            self.parts.append(data)


def visible(html: str, notes: bool = True) -> str:
    reader = _Main(notes)
    reader.feed(html)
    return re.sub(r"\s+", " ", "".join(reader.parts))


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    """Every page a person meets, for one agency answered with the example and built twice."""
    with make_client(tmp_path_factory.mktemp("data")) as client:
        ws, token = new_workspace(client)
        found = {"home": client.get("/").text, "empty plan": client.get(f"{ws}/plan").text}

        def upload(text: str) -> None:
            sent = client.post(f"{ws}/upload", data={"csrf": token}, files={"answers": ("a.yaml", text.encode())})
            assert sent.status_code == 200 and "not accepted" not in sent.text

        upload(EXAMPLE.read_text(encoding="utf-8"))
        found["workspace"] = client.get(ws).text
        for step in STEPS:
            found[f"step {step.number}"] = client.get(f"{ws}/step/{step.number}").text
        found["review"] = client.get(f"{ws}/review").text
        found["plan"] = client.get(f"{ws}/plan").text
        found["build"] = wait_for_build(client, client.post(f"{ws}/build", data={"csrf": token}).url.path).text
        upload(EXAMPLE.read_text(encoding="utf-8").replace("Conference Room 3B", "Conference Room 4A"))
        found["plan after a change"] = client.get(f"{ws}/plan").text
        found["second build"] = wait_for_build(client, client.post(f"{ws}/build", data={"csrf": token}).url.path).text
        found["builds"] = client.get(f"{ws}/builds").text
        found["compare"] = client.get(f"{ws}/compare?old=1&new=2").text
        found["error"] = client.get(f"{ws}/builds/99").text
        yield found


def test_no_page_shows_an_answer_path_or_code(pages):
    assert len(pages) == len(STEPS) + 11
    for name, html in pages.items():
        text = EMAIL.sub("", visible(html))
        assert text.strip(), name
        assert not PATH.findall(text), (name, PATH.findall(text))
        assert "`" not in text, name


def test_the_path_pattern_flags_paths_and_spares_numbers_and_files():
    for path in ("operations.business_continuity.in_place", "people[0].title", "launch_meeting.location"):
        assert PATH.search(path), path
    for fine in ("version 0.1.0", "WBS 1.1.2", "Release 2027.3", "01-Charter.docx", "answers.yaml", "e.g. this"):
        assert not PATH.search(fine), fine


def test_a_term_is_explained_at_its_first_use_and_only_there(pages):
    note = "a chart saying, for each task, who is Responsible"
    for name in ("plan", "build"):
        html = pages[name]
        assert html.count(note) == 1 and html.count('<dfn class="term">RACI</dfn>') == 1, name
        text = visible(html)
        assert text.index("RACI") == text.index(f"RACI ({note}") < text.rindex("RACI"), name
    compare = visible(pages["compare"])
    assert "Launch meeting – Location" in compare and "(absent)" not in compare


def test_the_glossary_marks_plain_text_only_and_each_term_once():
    marker = glossary.FirstUse()
    first = marker.mark("QA and IV&V <b>now</b>; QA again, and a QASP")
    assert str(first).count('class="term-note"') == 3 and "&lt;b&gt;now&lt;/b&gt;" in first
    assert '<dfn class="term">QA</dfn>' in first and '<dfn class="term">IV&amp;V</dfn>' in first
    assert '<dfn class="term">QASP</dfn>' in first  # a longer term is not read as a shorter one
    assert "term" not in marker.mark("QA and IV&V once more")  # explained once per page
    assert marker.mark("two Block-Cycles").count("term-note") == 1  # phrases in any case, hyphen or plural
    assert marker.mark(Markup('<a href="/x">RACI</a>')) == Markup('<a href="/x">RACI</a>')  # markup left alone


def test_the_glossary_covers_every_abbreviation_the_interview_and_the_rules_use():
    """Capitalised words in the questions, the decisions' reasons and the plans' titles: each is in
    the glossary, or is a name or a format (CDHS, CASCADE, HH:MM) rather than a term to explain."""
    known = {term for term, _ in glossary.glossary()[0]}
    names = {"CDHS", "CASCADE", "HH", "MM"}
    texts = []
    for item in questions.load().walk():
        texts += [getattr(item, "prompt", ""), getattr(item, "title", ""), item.help, getattr(item, "gate", "") or ""]
        for q in getattr(item, "fields", ()):
            texts += [q.prompt, q.help, *(label for _, label in q.choices)]
        texts += [label for _, label in getattr(item, "choices", ())]
    cat = catalog.load()
    for entry in (*cat.deliverables, *cat.plans):
        texts += [entry.title, *(c.because for c in entry.cases), entry.otherwise.because if entry.otherwise else ""]
    texts += [c.because for c in cat.common]
    used = {w for t in texts for w in re.findall(r"(?<![\w&])[A-Z][A-Z&]+s?(?![\w&])", t)}
    assert used - known - names == set()


def test_each_document_says_what_it_is_for(pages):
    shown = catalog.load().for_phase("mo_pre_initiation").deliverables  # the pages build an M&O package
    purposes = {d.id: d.purpose for d in shown}
    assert all(purposes.values()) and "RACI" in purposes["resource_plan"]
    for name in ("build", "plan", "second build"):
        text = visible(pages[name], notes=False)
        for purpose in purposes.values():
            assert purpose in text, (name, purpose)


def test_a_catalog_entry_without_a_purpose_is_still_read(tmp_path):
    (tmp_path / "catalog.yaml").write_text(
        "deliverables:\n  - {id: charter, title: Charter, template: docx/charter.docx,"
        " output: 01-Charter.docx, rule: charter}\n",
        encoding="utf-8",
    )
    assert catalog.load(tmp_path).deliverable("charter").purpose == ""


def test_the_plan_links_each_problem_to_its_field_and_names_it_in_words(tmp_path):
    tree = answers.read_tree(EXAMPLE)[0]
    wrong = copy.deepcopy(tree)
    wrong["schedule"][1]["finish"] = "2026-01-01"
    schedule = next(s for s in STEPS if s.key == "schedule")
    with make_client(tmp_path) as client:
        ws, _ = new_workspace(client)
        store = client.app.state.ctx.store
        store.save_answers(store.workspaces()[0], wrong, "typed")
        plan = client.get(f"{ws}/plan").text
        link = f'href="{ws}/step/{schedule.number}?check=1#f-schedule-1-finish"'
        assert link in plan
        text = visible(plan)
        assert "Master schedule (work breakdown) – Finish date: Task 2 (1.1 Confirm M&O budget" in text
        assert not PATH.findall(text) and "schedule[1]" not in plan
        step = client.get(f"{ws}/step/{schedule.number}?check=1").text
        assert 'id="f-schedule-1-finish-error"' in step  # the field is marked on its page
        # a field outside rows is named with its group; a yes-or-no question links to its first choice
        wrong["operations"]["business_continuity"]["in_place"] = "maybe"
        store.save_answers(store.workspaces()[0], wrong, "typed")
        plan = client.get(f"{ws}/plan").text
        assert "Business continuity and disaster recovery – Is it in place? &#39;maybe&#39; is not Yes or No" in plan
        assert "#f-operations-business_continuity-in_place-1" in plan


@pytest.mark.parametrize(
    ("path", "shown", "words"),
    [
        (
            "operations.business_continuity.in_place",
            "No",
            "Business continuity and disaster recovery – Is it in place? No",
        ),
        ("phase.kind", "mo_pre_initiation", "The phase – Which phase is starting: M&O Pre-Initiation"),
        ("people", "11 item(s)", "People and their roles: 11 entries"),
        ("launch_meeting", "given", "Is a launch meeting planned? Yes"),
        ("people[1].title", "Director", "People and their roles, entry 2 – Job title: Director"),
        ("not_a.question", None, "Not a – Question: not answered"),
    ],
)
def test_answers_are_named_by_their_questions(path, shown, words):
    assert glossary.answer(path, shown) == words


def test_a_status_names_the_changed_answers_by_their_questions():
    assert glossary.status_reason("launch_meeting.location changed") == "answer changed: Launch meeting – Location"
    many = glossary.status_reason("people[0].name, phase.start and 2 more changed")
    assert (
        many == "answers changed: People and their roles, entry 1 – Full name; The phase – Phase start date and 2 more"
    )
    assert glossary.status_reason("its template changed") == "its template changed"
