"""Every answer of ``answers/example.yaml`` filled into `assembler serve` in a real headless Chromium.

The fill is driven by data: each answer is matched to its question in ``questions.yaml`` and typed,
chosen or ticked in the field the page labels with that question, repeatable rows added with the
page's own buttons, part by part. The package built in the browser must then hold the answers of
the file as typed and the same documents, with the same text, as ``assembler build`` makes from it.
"""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

webdriver = pytest.importorskip("selenium.webdriver")
from selenium.webdriver.chrome.options import Options  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as ec  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402
from served import CHROMEDRIVER, CHROMIUM, create_workspace, require_chromium, serving  # noqa: E402
from test_web_browser import User, _gone, _wait_for_download  # noqa: E402

from assembler import answers  # noqa: E402
from assembler.interview import questions  # noqa: E402
from assembler.interview.asking import gated  # noqa: E402
from assembler.interview.form_views import html_id  # noqa: E402
from assembler.interview.forms import name, steps  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "answers" / "example.yaml"
RESULT: dict[str, int] = {}  # pages visited and clicks made by the last fill


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    data = tmp_path_factory.mktemp("data")
    _, token = create_workspace(data, "Cascadia Department of Human Services")
    with serving(data) as base:
        yield {"base": base, "token": token}


@pytest.fixture(scope="module")
def chromium(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    require_chromium()
    downloads = tmp_path_factory.mktemp("downloads")
    options = Options()
    options.binary_location = str(CHROMIUM)
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"):
        options.add_argument(flag)
    options.add_argument("--window-size=1280,1000")
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('profile')}")
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads)})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    driver.downloads = downloads
    yield driver
    driver.quit()


def cannot(what: str) -> None:
    pytest.fail(f"the form cannot express {what}")


class Filler(User):
    """A person answering each question the page asks with the answer the file holds."""

    def __init__(self, driver: Any, base: str) -> None:
        super().__init__(driver, base)
        self.visits = 0
        self.filled: set[tuple[str | int, ...]] = set()  # answer paths given a value on a page

    def go(self, path: str) -> None:
        super().go(path)
        self.visits += 1

    def press(self, text: str, navigates: bool = True) -> None:
        super().press(text, navigates)
        self.visits += navigates

    def push(self, button: Any) -> None:
        """Press a button that posts the page, and wait for the page that follows."""
        button.click()
        self.clicks += 1
        self.visits += 1
        WebDriverWait(self.d, 60).until(lambda _: _gone(button))

    def find(self, element_id: str) -> Any:
        found = self.d.find_elements(By.ID, element_id)
        return found[0] if found and found[0].is_displayed() else None

    def click(self, element: Any) -> None:
        """Click a radio button or tick box on its label, as a person does."""
        self.d.find_element(By.CSS_SELECTOR, f"label[for='{element.get_attribute('id')}']").click()
        self.clicks += 1

    def labelled(self, element: Any, prompt: str) -> None:
        if element.tag_name == "fieldset":
            text = element.find_element(By.TAG_NAME, "legend").text
        else:
            text = self.d.find_element(By.CSS_SELECTOR, f"label[for='{element.get_attribute('id')}']").text
        assert text.removesuffix(" new").removesuffix(" (optional)") == prompt

    # ------------------------------------------------------------ a part of the interview

    def part(self, step: Any, tree: Mapping[str, Any]) -> None:
        want = tree.get(step.key)
        for _ in range(6):  # a save may make more questions apply: answer those, and save again
            assert self.heading() == step.title, self.text()[:1500]
            while True:  # adding a row can show fields in the rows already filled
                before = len(self.filled)
                self.item(step.item, want, (step.key,), (step.key,))
                if len(self.filled) == before:
                    break
            self.push(self.d.find_element(By.CSS_SELECTOR, "#step-form .buttons button.primary"))
            if self.d.find_elements(By.CSS_SELECTOR, ".error-summary"):
                pytest.fail(f"{step.title}: the page refused the answers: {self.text()[:1500]}")
            if self.heading() != step.title:
                break
        missing = [answers.dotted(p) for p in _leaves(want, (step.key,)) if p not in self.filled]
        assert not missing, f"{step.title}: the page never asked for {missing}"

    def item(self, item: Any, want: Any, path: tuple[str | int, ...], where: tuple[str | int, ...]) -> None:
        if isinstance(item, questions.Group):
            self.group(item, want if isinstance(want, Mapping) else None, path)
        elif item.kind == "rows":
            self.rows(item, want if isinstance(want, list) else [], path)
        else:
            self.scalar(item, want, path, where)

    def group(self, group: Any, want: Mapping[str, Any] | None, path: tuple[str | int, ...]) -> None:
        if gated(group):
            gate = html_id(name(path)) + "-gate-" + ("yes" if want is not None else "no")
            radio = self.find(gate)
            if radio is None:  # the group does not apply, given the answers so far
                return
            self.labelled(self.d.find_element(By.ID, html_id(name(path)) + "-gate"), group.gate or "")
            if not radio.is_selected():
                self.click(radio)
            if want is None:
                return
        for child in group.items:
            key = child.path[-1]
            self.item(child, (want or {}).get(key), (*path, key), (*path, key))

    def rows(self, q: Any, want: list[Any], path: tuple[str | int, ...]) -> None:
        key, rid = name(path), html_id(name(path))
        box = self.find(rid)
        if box is None:
            return
        if q.pick:
            return self.picked(q, want, path)
        offered = {str(s.get(q.label)): i for i, s in enumerate(q.suggestions)}
        for i, row in enumerate(want):
            label = self.find(html_id(f"{key}.{i}.{q.label}")) if q.label else None
            holds = label is not None and label.get_property("value") == row.get(q.label)
            tick = self.find(f"{rid}-suggest-{offered.get(str(row.get(q.label)), -1)}")
            if not holds and tick is not None:  # one of the common rows the page offers
                self.click(tick)
                self.push(self._button(rid, "Add the ticked ones"))
            elif not self._row_shown(q, key, i):
                self.push(self._button(rid, "Add another"))
            assert self._row_shown(q, key, i), f"{key}: no row {i + 1} after adding one"
            for f in q.fields:
                self.scalar(f, row.get(f.key), (*path, i, f.key), (*path, i, f.key))
        j = len(want)
        while (remove := self.find(f"{rid}-remove-{j}")) is not None:  # rows saved before and not in the file
            if not remove.is_selected():
                self.click(remove)
            j += 1

    def _row_shown(self, q: Any, key: str, i: int) -> bool:
        return any(self.find(html_id(f"{key}.{i}.{f.key}")) is not None for f in q.fields)

    def _button(self, rid: str, text: str) -> Any:
        buttons = self.d.find_element(By.ID, rid).find_elements(By.XPATH, "./button")
        found = [b for b in buttons if b.text.startswith(text)]
        assert found, f"no {text!r} button for {rid}"
        return found[0]

    def picked(self, q: Any, want: list[Any], path: tuple[str | int, ...]) -> None:
        """Rows ticked from a checklist: one per choice, in the order of the choices."""
        values = [c[0] for c in q.choices]
        chosen = [r.get(q.pick) for r in want]
        if any(v not in values for v in chosen) or len(set(chosen)) < len(chosen):
            cannot(f"{name(path)}: each row's {q.pick} is one of {values}, once")
        if chosen != sorted(chosen, key=values.index):
            cannot(f"{name(path)}: rows in the order {chosen}; the page keeps the order {values}")
        rid = html_id(name(path))
        for j, value in enumerate(values):
            box = self.d.find_element(By.ID, f"{rid}-pick-{j}")
            row = next((r for r in want if r.get(q.pick) == value), None)
            if box.is_selected() != (row is not None):
                self.click(box)
            if row is None:
                continue
            i = want.index(row)
            self.filled.add((*path, i, q.pick))
            for f in q.fields:
                if f.key != q.pick:
                    self.scalar(f, row.get(f.key), (*path, j, f.key), (*path, i, f.key))

    # ------------------------------------------------------------ one field

    def scalar(self, q: Any, want: Any, path: tuple[str | int, ...], where: tuple[str | int, ...]) -> None:
        field = self.find(html_id(name(path)))
        if field is None:  # not asked on this page, given the answers so far
            return
        self.labelled(field, q.prompt)
        if field.tag_name == "fieldset":
            self.choices(q, field, want, name(path))
        elif field.tag_name == "select":
            self.select(q, field, want, name(path))
        else:
            self.write(field, _typed(want, field.tag_name == "textarea", name(path)), name(path))
        if want is not None:
            self.filled.add(where)

    def choices(self, q: Any, field: Any, want: Any, key: str) -> None:
        boxes = field.find_elements(By.CSS_SELECTOR, "input[type=radio], input[type=checkbox]")
        if boxes and boxes[0].get_attribute("type") == "checkbox":  # names ticked, others typed below
            want = list(want or [])
            offered = [b.get_attribute("value") for b in boxes]
            others = [v for v in want if v not in offered]
            if [v for v in offered if v in want] + others != want:
                cannot(f"{key}: the order {want}; ticked names keep the order of the list")
            for b in boxes:
                if b.is_selected() != (b.get_attribute("value") in want):
                    self.click(b)
            self.write(self.d.find_element(By.ID, field.get_attribute("id") + "-more"), "\n".join(others), key)
            return
        value = "" if want is None else str(want)
        radio = next((b for b in boxes if b.get_attribute("value") == value), None)
        if radio is None:
            cannot(f"{key}: {value!r} (the choices are {[b.get_attribute('value') for b in boxes]})")
        if not radio.is_selected():
            self.click(radio)

    def select(self, q: Any, field: Any, want: Any, key: str) -> None:
        value = "" if want is None else str(want)
        menu = Select(field)
        values = [o.get_attribute("value") for o in menu.options]
        other = self.find(field.get_attribute("id") + "-other")
        if other is not None:  # a person: picked from the names given, else typed as someone else
            picked = value if value in values else ""
            self.write(other, "" if picked or not value else value, key)
        elif value not in values:
            cannot(f"{key}: {value!r} (the choices are {values})")
        else:
            picked = value
        if menu.first_selected_option.get_attribute("value") != picked:
            menu.select_by_visible_text(menu.options[values.index(picked)].text)
            self.clicks += 1

    def write(self, box: Any, text: str, key: str) -> None:
        if box.get_property("value") == text:
            return
        if box.get_attribute("type") == "date":  # a date picker: set the ISO value as picking does
            self.d.execute_script(
                "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input'));", box, text
            )
        else:
            if "\n" in text and box.tag_name != "textarea":
                cannot(f"{key}: a line break in a one-line box")
            box.clear()
            if text:
                box.send_keys(text)
        if box.get_property("value") != text:
            cannot(f"{key}: {text!r} (the box holds {box.get_property('value')!r})")


def _typed(want: Any, multiline: bool, key: str) -> str:
    """The text a person types for an answer: a list one item a line, or in a row's one-line box
    separated by commas."""
    if not isinstance(want, list):
        return "" if want is None else str(want)
    sep, split = ("\n", "\n") if multiline else (", ", ",")
    for item in want:
        if not str(item).strip() or str(item) != str(item).strip() or split in str(item) or "\n" in str(item):
            cannot(f"{key}: the list item {item!r} in a box split at {sep!r}")
    return sep.join(str(x) for x in want)


def _leaves(value: Any, path: tuple[str | int, ...]) -> Iterator[tuple[str | int, ...]]:
    """Every answer to give: a text, a list of texts, or the fields of mappings and rows."""
    if isinstance(value, Mapping):
        for key, inner in value.items():
            yield from _leaves(inner, (*path, key))
    elif isinstance(value, list) and value and all(isinstance(v, Mapping) for v in value):
        for i, inner in enumerate(value):
            yield from _leaves(inner, (*path, i))
    elif value is not None:
        yield path


def _flat(value: Any, path: str = "") -> dict[str, Any]:
    if isinstance(value, Mapping):
        return {k: v for key, inner in value.items() for k, v in _flat(inner, f"{path}.{key}".lstrip(".")).items()}
    if isinstance(value, list) and value and all(isinstance(v, Mapping) for v in value):
        return {k: v for i, inner in enumerate(value) for k, v in _flat(inner, f"{path}[{i}]").items()}
    return {path: value}


def _document_text(file_name: str, blob: bytes) -> list[str]:
    if file_name.endswith(".docx"):
        import docx

        document = docx.Document(io.BytesIO(blob))
        parts = [p.text for p in document.paragraphs]
        return parts + [c.text for t in document.tables for r in t.rows for c in r.cells]
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(blob))
    cells = [c for s in book.worksheets for r in s.iter_rows() for c in r if c.value is not None]
    return [f"{c.parent.title}!{c.coordinate}={c.value}" for c in cells]


def test_every_example_answer_filled_in_the_browser(site: dict[str, str], chromium: Any, tmp_path: Path) -> None:
    source = tmp_path / "example.yaml"  # one reading of the file, for the fill and the CLI alike
    source.write_bytes(EXAMPLE.read_bytes())
    want = dict(answers.read(source).tree)
    u = Filler(chromium, site["base"])
    u.go("/")
    u.type("Access token", site["token"])
    u.press("Sign in")
    u.press("Start the interview")
    for step in steps(questions.load()):
        u.part(step, want)
    assert u.heading() == "Your answers", u.text()[:1500]
    u.press("See what will be produced and why")
    u.press("Build the package")
    WebDriverWait(chromium, 120).until(ec.presence_of_element_located((By.LINK_TEXT, "Download the package (.zip)")))
    u.press("Download the package (.zip)", navigates=False)
    archive = zipfile.ZipFile(_wait_for_download(chromium.downloads, ".zip"))
    u.press("Answer file", navigates=False)
    saved = dict(answers.read(_wait_for_download(chromium.downloads, ".yaml")).tree)

    typed, kept = _flat(want), _flat(saved)
    differ = {k: (typed.get(k), kept.get(k)) for k in sorted(set(typed) | set(kept)) if typed.get(k) != kept.get(k)}
    assert not differ, f"answers in the file vs saved by the pages: {differ}"
    assert saved == want

    cli = tmp_path / "cli"
    command = [sys.executable, "-m", "assembler", "build", str(source), "-o", str(cli)]
    subprocess.run(command, check=True, capture_output=True)
    (folder,) = [p for p in cli.iterdir() if p.is_dir()]
    built = {p.name: p.read_bytes() for p in folder.iterdir() if p.suffix in (".docx", ".xlsx", ".pdf")}
    zipped = {n.split("/", 1)[1]: archive.read(n) for n in archive.namelist() if n.endswith((".docx", ".xlsx", ".pdf"))}
    assert all(n.startswith(f"{folder.name}/") for n in archive.namelist())
    assert sorted(zipped) == sorted(built) and built
    for file_name in sorted(built):
        if not file_name.endswith(".pdf"):  # a PDF's bytes and text come from LibreOffice, not from the answers
            web, made = _document_text(file_name, zipped[file_name]), _document_text(file_name, built[file_name])
            assert web == made, file_name

    RESULT.update(pages=u.visits, clicks=u.clicks)
    print(f"\nfilled answers/example.yaml: {RESULT['pages']} pages, {RESULT['clicks']} clicks")
    assert RESULT["pages"] > 0 and RESULT["clicks"] > 0
