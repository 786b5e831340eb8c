"""What a browser sends for a page's form: a small HTML form reader for the TestClient tests."""

from __future__ import annotations

from html.parser import HTMLParser


class _Form(HTMLParser):
    def __init__(self, form_index: int) -> None:
        super().__init__(convert_charrefs=True)
        self.want, self.seen, self.inside = form_index, -1, False
        self.fields: list[tuple[str, str]] = []
        self.select: str | None = None
        self.options: list[tuple[str, bool]] = []
        self.option: dict[str, str | None] | None = None
        self.textarea: str | None = None
        self.text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "form":
            self.seen += 1
            self.inside = self.seen == self.want
        if not self.inside:
            return
        if tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in ("radio", "checkbox"):
                if "checked" in a:
                    value = a.get("value", "on")
                    self.fields.append((a["name"] or "", "on" if value is None else value))
            elif kind not in ("submit", "file"):
                self.fields.append((a["name"] or "", a.get("value") or ""))
        elif tag == "select":
            self.select, self.options = a.get("name"), []
        elif tag == "option" and self.select is not None:
            self.option = a
            self.text = ""
        elif tag == "textarea":
            self.textarea, self.text = a.get("name"), ""

    def handle_data(self, data: str) -> None:
        self.text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        if not self.inside:
            return
        if tag == "option" and self.option is not None:
            value = self.option.get("value")
            self.options.append((self.text if value is None else value, "selected" in self.option))
            self.option = None
        elif tag == "select" and self.select:
            chosen = [v for v, s in self.options if s] or [v for v, _ in self.options[:1]]
            self.fields.append((self.select, chosen[0]))
            self.select = None
        elif tag == "textarea" and self.textarea:
            # the HTML parser keeps the newline after <textarea>, which browsers drop
            self.fields.append((self.textarea, self.text[1:] if self.text.startswith("\n") else self.text))
            self.textarea = None


def form_fields(html: str, form_index: int = 0) -> list[tuple[str, str]]:
    """The (name, value) pairs a browser submits for the page's n-th form, buttons aside."""
    reader = _Form(form_index)
    reader.feed(html)
    return reader.fields


def interview_form(html: str) -> list[tuple[str, str]]:
    """The interview step's form (the page's last form; a sign-out form may come first)."""
    count = html.count("<form")
    return form_fields(html, count - 1)


def as_post(fields: list[tuple[str, str]], **extra: str) -> dict[str, list[str]]:
    """Form pairs as the TestClient's data (several values per name), with extra fields set."""
    data: dict[str, list[str]] = {}
    for name, value in fields:
        data.setdefault(name, []).append(value)
    data.update({k: [v] for k, v in extra.items()})
    return data


def csrf_of(html: str) -> str:
    start = html.index('name="csrf" value="') + len('name="csrf" value="')
    return html[start : html.index('"', start)]


def make_client(data, auth: str = "none", processes: bool = False):  # type: ignore[no-untyped-def]
    """A TestClient over a fresh app on ``data`` (builds in threads unless ``processes``)."""
    from fastapi.testclient import TestClient

    from assembler.web import app as web

    return TestClient(web.create_app(web.Settings(data=data, auth=auth, processes=processes)))


def new_workspace(client, name: str = "Cascadia DHS") -> tuple[str, str]:  # type: ignore[no-untyped-def]
    """Open mode: create a workspace through the home page; returns (its URL, a CSRF token)."""
    token = csrf_of(client.get("/").text)
    response = client.post("/workspaces", data={"csrf": token, "name": name}, follow_redirects=False)
    assert response.status_code == 303
    return response.headers["location"], token


def wait_for_build(client, url: str):  # type: ignore[no-untyped-def]
    """The build page once the build has finished (it refreshes itself while building)."""
    import time

    for _ in range(600):
        page = client.get(url)
        if 'http-equiv="refresh"' not in page.text:
            return page
        time.sleep(0.1)
    raise AssertionError(f"{url} did not finish")
