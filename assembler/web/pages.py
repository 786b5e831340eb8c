"""The pages: sign-in, a workspace's overview, the interview steps, the plan, builds and their
comparison. Plain HTML forms (POST, then a redirect), usable without JavaScript."""

from __future__ import annotations

import asyncio
import re
from dataclasses import replace
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from assembler.answers import yamlread
from assembler.errors import InputError, Problem
from assembler.interview import forms, questions
from assembler.interview.form_views import Builder

from . import asked, runner
from .common import check_csrf, close_session, ctx, open_session, render, signed_in, workspace
from .store import Workspace

router = APIRouter(include_in_schema=False)


def _steps() -> tuple[forms.Step, ...]:
    return asked.steps()


def _go(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


async def _form(request: Request) -> tuple[dict[str, list[str]], Any]:
    form = await request.form(max_files=1, max_fields=5000, max_part_size=yamlread.MAX_BYTES + 1)
    check_csrf(request, form)
    fields = {k: [v for v in form.getlist(k) if isinstance(v, str)] for k in form}
    return fields, form


def _draft(request: Request, ws: Workspace) -> dict[str, Any]:
    latest = ctx(request).store.latest(ws)
    return dict(latest.answers) if latest else {}


@router.get("/")
def home(request: Request) -> Response:
    c = ctx(request)
    if c.settings.auth == "token":
        mine = signed_in(request)
        return _go(f"/w/{mine.id}") if mine else render(request, "signin.html", error="")
    return render(request, "home.html", workspaces=c.store.workspaces())


@router.post("/signin")
async def signin(request: Request) -> Response:
    fields, _ = await _form(request)
    token = (fields.get("token") or [""])[0].strip()
    mine = ctx(request).store.workspace_for_token(token) if token else None
    if mine is None:
        return render(request, "signin.html", 401, error="That token does not open any workspace.")
    response = _go(f"/w/{mine.id}")
    open_session(request, response, mine)  # the cookie holds a session id, never the token
    return response


@router.post("/signout")
async def signout(request: Request) -> Response:
    await _form(request)
    response = _go("/")
    close_session(request, response)
    return response


@router.post("/workspaces")
async def new_workspace(request: Request) -> Response:
    fields, _ = await _form(request)
    c = ctx(request)
    if c.settings.auth == "token":
        raise HTTPException(
            403, "workspaces are created by the administrator of this service, who gives each its token"
        )
    name = (fields.get("name") or [""])[0].strip()
    if not name:
        return render(request, "home.html", 422, workspaces=c.store.workspaces(), error="Give the agency's name.")
    ws, _ = c.store.create_workspace(name[:200])
    return _go(f"/w/{ws.id}")


def _overview(request: Request, ws: Workspace, status: int = 200, upload_errors: Any = ()) -> Response:
    c = ctx(request)
    latest = c.store.latest(ws)
    tree = dict(latest.answers) if latest else {}
    given = asked.names(tree)  # a part that does not apply counts as done once others are
    started = [s for s in _steps() if s.key in tree or (tree and not questions.shown(s.item.when, given))]
    return render(
        request,
        "workspace.html",
        status,
        ws=ws,
        latest=latest,
        steps=_steps(),
        started=len(started),
        resume=_resume(tree),
        builds=c.store.builds(ws)[:5],
        upload_errors=list(upload_errors),
    )


@router.get("/w/{ws_id}")
def overview(request: Request, ws_id: str) -> Response:
    return _overview(request, workspace(request, ws_id))


@router.post("/w/{ws_id}/upload")
async def upload(request: Request, ws_id: str) -> Response:
    ws = workspace(request, ws_id)
    _, form = await _form(request)
    file = form.get("answers")
    if file is None or isinstance(file, str):
        return _overview(request, ws, 422, ["Choose an answer file (.yaml) to upload."])
    blob = await file.read(yamlread.MAX_BYTES + 1)
    c = ctx(request)
    try:
        tree = await asyncio.to_thread(runner.read_upload, c.runner.scratch, file.filename, blob)
    except InputError as exc:  # in the interview's words: the line, the question, what is wrong
        return _overview(request, ws, 422, [_in_words(p) for p in exc.problems] or [exc.message])
    c.store.save_answers(ws, tree, f"uploaded {runner.safe_name(file.filename)}")
    return _go(f"/w/{ws.id}?done=uploaded")


def _in_words(problem: Problem) -> str:
    from .glossary import label

    where = f"Line {problem.line}" if problem.line else "The file"
    return f"{where}, {label(problem.path)}: {problem.message}" if problem.path else f"{where}: {problem.message}"


@router.post("/w/{ws_id}/new")
async def start_anew(request: Request, ws_id: str) -> Response:
    ws = workspace(request, ws_id)
    await _form(request)
    ctx(request).store.save_answers(ws, {}, "started anew")
    return _go(f"/w/{ws.id}/step/1")


@router.get("/w/{ws_id}/answers.yaml")
def answer_file(request: Request, ws_id: str) -> Response:
    ws = workspace(request, ws_id)
    text = runner.answer_text(_draft(request, ws), ws.name)
    return Response(text, media_type="application/yaml", headers=_attachment("answers.yaml"))


def _attachment(file_name: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{file_name}"'}


def _step(number: int) -> forms.Step:
    all_steps = _steps()
    if not 1 <= number <= len(all_steps):
        raise HTTPException(404, "no such step")
    return all_steps[number - 1]


def _step_page(
    request: Request,
    ws: Workspace,
    step: forms.Step,
    tree: dict[str, Any],
    errors: dict[str, list[str]],
    status: int = 200,
    add: str = "",
    new: frozenset[str] = frozenset(),
) -> Response:
    builder = Builder(tree, errors, add, new, offered={"agency.name": ws.name})
    view = builder.step(step)
    return render(
        request,
        "step.html",
        status,
        ws=ws,
        step=step,
        **_nav(tree),
        view=view,
        summary=builder.summary,
        people=questions.people_names(tree),
        new=bool(new),
    )


def _resume(tree: dict[str, Any]) -> str:
    """Where "Continue" leads: the first part that applies and has no answers, else the review."""
    given = asked.names(tree)
    for s in _steps():
        if s.key not in tree and questions.shown(s.item.when, given):
            return f"step/{s.number}"
    return "review"


def _nav(tree: dict[str, Any]) -> dict[str, Any]:
    """What the list of steps shows: each step, whether it applies and whether it has answers."""
    given = asked.names(tree)
    return {"steps": _steps(), "tree": tree, "applies": [questions.shown(s.item.when, given) for s in _steps()]}


@router.get("/w/{ws_id}/step/{number}")
def step_page(request: Request, ws_id: str, number: int, add: str = "", check: int = 0) -> Response:
    ws = workspace(request, ws_id)
    step = _step(number)
    tree = _draft(request, ws)
    errors = forms.problems(step, tree) if check else {}
    return _step_page(request, ws, step, tree, errors, add=add)


@router.post("/w/{ws_id}/step/{number}")
async def save_step(request: Request, ws_id: str, number: int) -> Response:
    ws = workspace(request, ws_id)
    step = _step(number)
    fields, _ = await _form(request)
    c = ctx(request)
    old = _draft(request, ws)
    tree = forms.Reader(fields, old).step(step)
    c.store.save_answers(ws, tree, f"step {number}: {step.title}")
    action = (fields.get("action") or ["next"])[0]
    base = f"/w/{ws.id}/step/{number}"
    if action.startswith("add:"):
        return _go(f"{base}?add={action[4:]}#{'f-' + action[4:].replace('.', '-')}")
    if action == "save":
        return _go(f"/w/{ws.id}?done=saved")
    if action == "back":
        return _go(f"/w/{ws.id}/step/{max(number - 1, 1)}")
    where = action.removeprefix("go:")  # the list of parts: leaving a page keeps what was typed
    if action.startswith("go:") and (where in ("review", "plan") or where.isdigit()):
        return _go(f"/w/{ws.id}/{where if not where.isdigit() else f'step/{_step(int(where)).number}'}")
    errors = forms.problems(step, tree)
    before, after = Builder(old, {}), Builder(tree, {})
    before.step(step)
    after.step(step)
    new = _newly_asked(before.shown, after.shown)
    if errors or new:
        return _step_page(request, ws, step, tree, errors, 422 if errors else 200, new=new)
    if number < len(_steps()):
        return _go(f"/w/{ws.id}/step/{number + 1}")
    return _go(f"/w/{ws.id}/review")


def _newly_asked(before: set[str], after: set[str]) -> frozenset[str]:
    """Questions the answers just made apply; the fields of rows the user just added are not news."""
    new = set()
    for field in after - before:
        parts = field.split(".")
        row = next((i for i, p in enumerate(parts) if p.isdigit()), None)
        prefix = ".".join(parts[: row + 1]) + "." if row is not None else ""
        if not prefix or any(b.startswith(prefix) for b in before):
            new.add(field)
    return frozenset(new)


@router.get("/w/{ws_id}/plan")
async def plan_page(request: Request, ws_id: str) -> Response:
    """What a build would make and why, in words: a problem links to its field, an answer is named by its question."""
    from . import glossary, pictures

    ws = workspace(request, ws_id)
    tree = _draft(request, ws)
    problems = glossary.problems(ws.id, forms.whole(tree, asked.interview()), tree)
    result: dict[str, Any] = {}
    if not problems:
        result = glossary.explained(await asyncio.wrap_future(ctx(request).runner.plan(ws, tree)))
    compared = any(b.status == "done" for b in ctx(request).store.builds(ws))
    warnings = {kind: _warnings(ws.id, result, tree, kind) for kind in ("inconsistency", "practice")}
    shown: dict[str, Any] = {"problems": problems, "result": result, "compared": compared, "warnings": warnings}
    if result.get("deliverables"):
        shown["pictures"] = pictures.of_plan(result, tree)
    return render(request, "plan.html", ws=ws, **shown, **_nav(tree))


def _warnings(ws_id: str, result: dict[str, Any], tree: dict[str, Any], kind: str) -> list[Any]:
    """The plan's warnings of one kind, in words, each linked to its field (nothing to correct: no check)."""
    from . import glossary

    by_key = {s.key: s for s in _steps()}
    mine = [w for w in result.get("warnings") or [] if w.get("kind") == kind]
    located = [(by_key[top], w["path"], w["text"]) for w in mine if (top := re.split(r"[.\[]", w["path"])[0]) in by_key]
    return [replace(p, href=p.href.replace("?check=1", "")) for p in glossary.problems(ws_id, located, tree)]


@router.post("/w/{ws_id}/build")
async def start_build(request: Request, ws_id: str) -> Response:
    ws = workspace(request, ws_id)
    await _form(request)
    c = ctx(request)
    latest = c.store.latest(ws)
    if latest is None or forms.whole(dict(latest.answers), asked.interview()):
        return _go(f"/w/{ws.id}/plan")
    build, _ = c.runner.build(ws, latest)
    return _go(f"/w/{ws.id}/builds/{build.number}")
