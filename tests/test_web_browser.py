"""`assembler serve` driven by a real headless Chromium, as an office user would use it.

The server runs as its own process on 127.0.0.1 with token access. The test fills the interview
for a new agency (correcting a validation error on the way), reads the plan, builds, downloads the
zip and opens the documents to find what was typed; changes one answer, builds again and sees the
change; and is refused with another workspace's token. Every page is saved as a PNG under
``tests/screenshots/``.
"""

from __future__ import annotations

import io
import shutil
import time
import urllib.error
import urllib.request
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

webdriver = pytest.importorskip("selenium.webdriver")
from selenium.common.exceptions import WebDriverException  # noqa: E402
from selenium.webdriver.chrome.options import Options  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as ec  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402
from served import CHROMEDRIVER, CHROMIUM, create_workspace, require_chromium, serving  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "tests" / "screenshots"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    data = tmp_path_factory.mktemp("data")
    mine, token = create_workspace(data, "Cascadia Department of Human Services")
    other, other_token = create_workspace(data, "Another Agency")
    with serving(data) as base:
        yield {"base": base, "ws": mine, "token": token, "other": other, "other_token": other_token, "data": str(data)}


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    require_chromium()
    downloads = tmp_path_factory.mktemp("downloads")
    options = Options()
    options.binary_location = str(CHROMIUM)
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--window-size=1280,1000",
        f"--user-data-dir={tmp_path_factory.mktemp('profile')}",
    ):
        options.add_argument(flag)
    options.add_experimental_option(
        "prefs", {"download.default_directory": str(downloads), "download.prompt_for_download": False}
    )
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    driver.downloads = downloads  # type: ignore[attr-defined]
    shutil.rmtree(SHOTS, ignore_errors=True)
    SHOTS.mkdir(parents=True)
    yield driver
    driver.quit()


class User:
    """What a person does in the browser: type, choose, press buttons, look at the page."""

    def __init__(self, driver: object, base: str) -> None:
        self.d, self.base, self.shots = driver, base, 0
        self.pages: set[str] = set()
        self.clicks = 0  # what a person clicks, counted to see the interview's length

    def go(self, path: str) -> None:
        self.d.get(self.base + path)  # type: ignore[attr-defined]

    def shot(self, name: str) -> None:
        """A screenshot of the page, and the checks every page passes: axe-core finds no serious or
        critical accessibility violation, and on a 390 px wide phone nothing is wider than the screen."""
        self.shots += 1
        height = self.d.execute_script("return document.documentElement.scrollHeight")  # type: ignore[attr-defined]
        self.d.set_window_size(1280, min(max(height + 140, 700), 6000))  # type: ignore[attr-defined]
        self.d.save_screenshot(str(SHOTS / f"{self.shots:02d}-{name}.png"))  # type: ignore[attr-defined]
        self.checks(name)

    def checks(self, name: str) -> None:
        self.audit(name)
        self.d.set_window_size(390, 844)  # type: ignore[attr-defined]
        wide = self.d.execute_script(  # type: ignore[attr-defined]
            "return [document.documentElement.scrollWidth, window.innerWidth]"
        )
        if wide[0] > wide[1]:
            self.d.save_screenshot(str(SHOTS / f"{self.shots:02d}-{name}-phone.png"))  # type: ignore[attr-defined]
        assert wide[0] <= wide[1], f"{name}: {wide[0]} px wide on a {wide[1]} px phone"
        above = self.d.execute_script(  # type: ignore[attr-defined]
            "const h = document.querySelector('main h1'), n = document.querySelector('nav.steps');"
            "return !n || !h || h.getBoundingClientRect().top < n.getBoundingClientRect().top;"
        )
        assert above, f"{name}: on a phone the page starts below the list of parts"
        self.d.set_window_size(1280, 1000)  # type: ignore[attr-defined]
        self.pages.add(name)

    def audit(self, name: str) -> None:
        from axe_selenium_python import Axe

        axe = Axe(self.d)
        axe.inject()
        found = axe.run()["violations"]
        bad = [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}" for v in found]
        assert not [v for v, f in zip(bad, found, strict=True) if f["impact"] in ("serious", "critical")], (name, bad)

    def by_label(self, text: str, nth: int = 0) -> object:
        found = self.d.find_elements(By.TAG_NAME, "label")  # type: ignore[attr-defined]
        labels = [x for x in found if x.text.removesuffix(" new").removesuffix(" (optional)") == text]
        assert len(labels) > nth, f"no field labelled {text!r}"
        return self.d.find_element(By.ID, labels[nth].get_attribute("for"))  # type: ignore[attr-defined]

    def type(self, label: str, text: str, nth: int = 0) -> None:
        box = self.by_label(label, nth)
        if box.get_attribute("type") == "date":  # type: ignore[attr-defined]
            # a date picker takes keys in the browser's locale order: set the ISO value as picking does
            self.d.execute_script(  # type: ignore[attr-defined]
                "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input'));", box, text
            )
            assert box.get_attribute("value") == text  # type: ignore[attr-defined]
            return
        if box.tag_name == "select":  # type: ignore[attr-defined]
            # a person: picked from the people named, else typed as someone else
            names = [o.text for o in Select(box).options]
            if text in names:
                Select(box).select_by_visible_text(text)
                return
            box = self.d.find_element(By.ID, box.get_attribute("id") + "-other")  # type: ignore[attr-defined]
        box.clear()  # type: ignore[attr-defined]
        box.send_keys(text)  # type: ignore[attr-defined]

    def choose(self, label: str, option: str, nth: int = 0) -> None:
        """Pick an option of a drop-down list, or the radio button of a question with few choices."""
        groups = self.d.find_elements(By.XPATH, f'//fieldset[legend[starts-with(normalize-space(), "{label}")]]')  # type: ignore[attr-defined]
        if groups:
            radio = groups[nth].find_element(By.XPATH, f'.//label[normalize-space()="{option}"]')
            radio.click()
            self.clicks += 1
            return
        Select(self.by_label(label, nth)).select_by_visible_text(option)

    def tick(self, label: str, nth: int = 0) -> None:
        box = self.by_label(label, nth)
        if not box.is_selected():  # type: ignore[attr-defined]
            box.click()  # type: ignore[attr-defined]
            self.clicks += 1

    def press(self, text: str, navigates: bool = True) -> None:
        where = f"//button[normalize-space()='{text}' and not(@aria-hidden)] | //a[normalize-space()='{text}']"
        button = self.d.find_element(By.XPATH, where)  # type: ignore[attr-defined]
        button.click()
        self.clicks += 1
        if navigates:  # wait until the next page replaced this one
            WebDriverWait(self.d, 60).until(lambda _: _gone(button))

    def heading(self) -> str:
        return str(self.d.find_element(By.TAG_NAME, "h1").text)  # type: ignore[attr-defined]

    def text(self) -> str:
        return str(self.d.find_element(By.TAG_NAME, "body").text)  # type: ignore[attr-defined]

    def next_step(self, title: str) -> None:
        assert self.heading() == title, self.text()[:2000]
        if title not in self.pages:  # every part of the interview passes the checks of every page
            self.checks(title)
        self.press("Save and continue")


def _gone(element: object) -> bool:
    try:
        element.is_enabled()  # type: ignore[attr-defined]
    except WebDriverException:  # stale, or its node left the document mid-check
        return True
    return False


def _docx_text(blob: bytes) -> str:
    import docx

    document = docx.Document(io.BytesIO(blob))
    parts = [p.text for p in document.paragraphs]
    parts += [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join(parts)


def _wait_for_download(folder: Path, suffix: str) -> Path:
    for _ in range(300):  # a download in progress ends in .crdownload
        done = [p for p in folder.iterdir() if p.name.endswith(suffix)]
        if done:
            return done[0]
        time.sleep(0.1)
    pytest.fail(f"no {suffix} was downloaded into {folder}")


def _api(server: dict[str, str], path: str, token: str) -> tuple[int, bytes]:
    request = urllib.request.Request(server["base"] + path, headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def test_an_office_user_builds_a_package_in_the_browser(server: dict[str, str], browser: object) -> None:
    u = User(browser, server["base"])
    ws = server["ws"]

    u.go("/")
    assert u.heading() == "Sign in to your workspace"
    u.shot("sign-in")
    u.type("Access token", server["token"])
    u.press("Sign in")
    assert u.heading() == "Cascadia Department of Human Services"
    u.shot("workspace-empty")
    u.press("Start the interview")

    # 1: the phase first, with dates in the wrong order that the form refuses next to the field
    u.choose("Which phase is starting", "M&O Pre-Initiation (HHSDC Best Practices, Maintenance and Operations)")
    assert u.by_label("Phase start date").get_attribute("type") == "date"  # type: ignore[attr-defined]
    u.type("Phase start date", "2027-04-15")
    u.type("Phase exit date", "2027-03-31")
    u.type("Date printed on the documents", "2027-01-08")
    u.type("Vision for the phase, in a sentence or two", "Keep CASCADE available and current.")
    u.type("What is in scope", "Corrective maintenance\nProduction operations")
    u.type("Short-term plan (this phase)", "Transfer knowledge")
    u.type("Long-term plan (after the phase)", "Refresh the servers")
    u.next_step("The phase")
    assert u.heading() == "The phase"
    summary = browser.find_element(By.CSS_SELECTOR, ".error-summary")  # type: ignore[attr-defined]
    expected = "the phase exit, March 31, 2027, is before the phase start, April 15, 2027"
    assert f"Phase exit date: {expected}" in summary.text
    exit_date = u.by_label("Phase exit date")
    assert exit_date.get_attribute("aria-invalid") == "true"  # type: ignore[attr-defined]
    error_id = exit_date.get_attribute("aria-describedby").split()[-1]  # type: ignore[attr-defined]
    assert expected in browser.find_element(By.ID, error_id).text  # type: ignore[attr-defined]
    assert browser.switch_to.active_element == summary  # type: ignore[attr-defined]
    mo_start = browser.find_element(By.XPATH, "//label[@for='f-phase-mo_start']")  # type: ignore[attr-defined]
    assert mo_start.find_element(By.CSS_SELECTOR, ".tag.new").text == "new"  # a question that now applies
    u.shot("step-phase-error")
    summary.find_element(By.TAG_NAME, "a").click()  # the summary's link takes the user to the field
    u.type("Phase start date", "2027-01-04")
    u.type("Date M&O begins", "2027-04-01")
    u.next_step("The phase")

    # 2-3: agency and system
    u.type("Agency's full name", "Cascadia Department of Human Services")
    u.type("Short name or initials", "CDHS")
    u.choose("Level of government", "State")
    u.shot("step-agency")
    u.next_step("The agency")
    u.type("System's full name", "Case and Benefits Eligibility System")
    u.type("System's acronym", "CASCADE")
    u.type("What the system does and who uses it", "Eligibility for food, cash & medical aid <statewide>")
    u.next_step("The system")

    # 4: contractor; choosing hours makes the authorized hours question apply
    u.type("Contractor's or provider's name", "Acme Operations Group, LLC")
    u.type("Contract or agreement number", "CDHS-26-0311")
    browser.find_element(By.ID, "f-contractor-development-gate-no").click()  # type: ignore[attr-defined]
    u.choose("How is the contractor's work authorized", "In authorized hours")
    u.next_step("Contractors and funding")
    assert "more questions apply" in u.text()
    u.type("Authorized hours", "48,000")
    u.shot("step-contractor-new-question")
    u.next_step("Contractors and funding")

    # 5: people, as repeatable rows
    u.type("Full name", "Maria Okafor")
    u.type("Job title", "Chief Deputy Director")
    u.type("Organization", "CDHS")
    u.choose("Role in the project office", "Executive Sponsor")
    u.choose("Which side", "Customer")
    u.press("Add another person")
    u.type("Full name", "Tomás Álvarez", 1)
    u.type("Job title", "PMO Lead", 1)
    u.type("Organization", "CDHS", 1)
    u.choose("Role in the project office", "PMO Lead", 1)
    u.choose("Which side", "Customer", 1)
    u.shot("step-people")
    u.next_step("People and their roles")

    for title in (
        "Responsibilities the project needs",
        "Existing plans",
        "What changed since the acquisition",
        "Types of change and how each is handled",
        "Staffing",
    ):
        if title == "Existing plans":
            u.shot("step-existing-plans")
        u.next_step(title)

    # 11: risks, from the common ones offered
    u.tick("Insufficient staffing for the M&O phase")
    u.press("Add the ticked ones")
    u.choose("Likelihood", "High")
    u.choose("Impact", "Medium")
    u.type("Owner", "Tomás Álvarez")
    u.type("Mitigation", "Hire two analysts before April")
    u.shot("step-risks")
    u.next_step("Risks")

    # 12: the schedule
    u.type("WBS number", "1")
    u.type("Task name", "Approve the M&O Charter")
    u.type("Start date", "2027-01-11")
    u.type("Finish date", "2027-02-26")
    u.next_step("Master schedule (work breakdown)")
    for title in ("Operational processes", "Help desk", "Business continuity"):
        u.next_step(title)

    # 16: the launch meeting, then the plan
    browser.find_element(By.ID, "f-launch_meeting-gate-yes").click()  # type: ignore[attr-defined]
    u.type("Meeting date", "2027-01-12")
    u.type("Location", "Conference Room 3B")
    u.tick("Maria Okafor")
    u.shot("step-launch-meeting")
    u.press("Save and review your answers")

    # the review: every answer by part, each part with a link to change it
    assert u.heading() == "Your answers"
    review = u.text()
    assert "Conference Room 3B" in review and "Case and Benefits Eligibility System" in review
    assert (
        len(browser.find_elements(By.XPATH, "//section[contains(@class, 'review-part')]//a[starts-with(., 'Change')]"))
        >= 10
    )  # type: ignore[attr-defined]
    u.shot("review")
    u.press("See what will be produced and why")

    assert u.heading() == "What will be produced, and why"
    assert "Charter" in u.text() and "generate" in u.text()
    u.shot("plan")
    u.press("Build the package")
    WebDriverWait(browser, 60).until(ec.presence_of_element_located((By.LINK_TEXT, "Download the package (.zip)")))
    assert u.heading() == "Build 1"
    u.shot("build-1")
    u.press("Download the package (.zip)", navigates=False)
    archive = zipfile.ZipFile(_wait_for_download(browser.downloads, ".zip"))  # type: ignore[attr-defined]
    names = archive.namelist()
    charter = next(n for n in names if n.endswith("01-Charter.docx"))
    text = _docx_text(archive.read(charter))
    assert "Cascadia Department of Human Services" in text
    assert "Eligibility for food, cash & medical aid <statewide>" in text
    assert "Keep CASCADE available and current." in text
    agenda = _docx_text(archive.read(next(n for n in names if n.endswith("05-Launch-Meeting-Agenda.docx"))))
    assert "Conference Room 3B" in agenda and "Maria Okafor" in agenda
    import openpyxl

    book = openpyxl.load_workbook(
        io.BytesIO(archive.read(next(n for n in names if n.endswith("Master-Schedule.xlsx"))))
    )
    cells = {str(c.value) for ws_ in book.worksheets for row in ws_.iter_rows() for c in row if c.value is not None}
    assert "Approve the M&O Charter" in cells

    # a second build after changing one answer shows the change
    u.go(f"/w/{ws}/step/16")
    u.type("Location", "Conference Room 4A")
    u.press("Save and review your answers")
    u.press("See what will be produced and why")
    assert "regenerate" in u.text()
    u.press("Build the package")
    WebDriverWait(browser, 60).until(ec.presence_of_element_located((By.LINK_TEXT, "What changed since build 1")))
    u.shot("build-2")
    row = browser.find_element(By.XPATH, "//tr[th//a[contains(., 'Launch Meeting')]]")  # type: ignore[attr-defined]
    assert "regenerate" in row.text and "Launch meeting – Location" in row.text  # the question, not its path
    row.find_element(By.TAG_NAME, "a").click()  # a download: the page stays
    agenda = _docx_text(_wait_for_download(browser.downloads, "05-Launch-Meeting-Agenda.docx").read_bytes())  # type: ignore[attr-defined]
    assert "Conference Room 4A" in agenda and "Conference Room 3B" not in agenda
    u.press("What changed since build 1")
    redline = u.text()
    assert "Launch meeting – Location" in redline and "launch_meeting.location" not in redline
    assert browser.find_element(By.CSS_SELECTOR, ".redline del").text.strip() == "3B"  # type: ignore[attr-defined]
    assert browser.find_element(By.CSS_SELECTOR, ".redline ins").text.strip() == "4A"  # type: ignore[attr-defined]
    u.shot("compare")
    u.go(f"/w/{ws}/builds")
    u.shot("builds")

    # another workspace's token is refused, in the API and in the browser
    status, _ = _api(server, f"/api/workspaces/{ws}/builds/1/manifest", server["other_token"])
    assert status == 403
    status, body = _api(server, f"/api/workspaces/{ws}/builds/1/manifest", server["token"])
    assert status == 200 and b"Cascadia Department of Human Services" in body
    u.go("/")
    u.press("Sign out")
    u.type("Access token", server["other_token"])
    u.press("Sign in")
    assert u.heading() == "Another Agency"
    u.go(f"/w/{ws}/builds/1")
    assert u.heading() == "Not allowed" and "Cascadia" not in u.text()
    u.shot("refused")
    print(f"\n{len(u.pages)} pages checked (axe-core, 390 px phone); {u.clicks} clicks from sign-in to the two builds")
