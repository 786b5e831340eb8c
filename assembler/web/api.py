"""The JSON API beside the pages: send an answer file, get a package; read plans, manifests and
documents. Documented at ``/docs`` (OpenAPI). With token access, send ``Authorization: Bearer TOKEN``;
a POST is accepted only with that header (never on a cookie alone)."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import JSONResponse, Response

from assembler.answers import yamlread
from assembler.errors import InputError
from assembler.interview import forms

from . import asked, runner
from .common import ctx, signed_in, workspace
from .downloads import build_of, compare, file_response, folder_of, zip_response
from .store import Build, Workspace

router = APIRouter(prefix="/api", tags=["packages"])


def _links(ws: Workspace, build: Build) -> dict[str, str]:
    base = f"/api/workspaces/{ws.id}/builds/{build.number}"
    return {
        "self": base,
        "plan": f"{base}/plan",
        "manifest": f"{base}/manifest",
        "zip": f"{base}/package.zip",
        "page": f"/w/{ws.id}/builds/{build.number}",
    }


def build_json(request: Request, ws: Workspace, build: Build) -> dict[str, Any]:
    folder = ctx(request).store.package_folder(ws, build)
    base = f"/api/workspaces/{ws.id}/builds/{build.number}"
    return {
        "workspace": ws.id,
        "build": build.number,
        "status": build.status,
        "package": build.package,
        "created": build.created,
        "errors": list(build.result.get("errors", [])),
        "links": _links(ws, build) if folder else {"self": base},
        "documents": [
            {
                "file": d["file"],
                "title": d["title"],
                "decision": d["decision"],
                "sha256": d["sha256"],
                "url": f"{base}/documents/{d['file']}",
            }
            for d in (runner.documents(folder) if folder else [])
        ],
    }


def _problems(exc: InputError) -> JSONResponse:
    problems = [{"file": p.file, "line": p.line, "path": p.path, "message": p.message} for p in exc.problems]
    return JSONResponse({"detail": exc.message, "problems": problems, "lines": exc.lines()}, status_code=422)


@router.post("/packages", status_code=201, summary="Build a package from an answer file")
async def post_package(
    request: Request,
    answers_file: Annotated[UploadFile, File(alias="answers", description="The answer file (YAML, at most 2 MB)")],
    workspace_id: Annotated[str | None, Form(alias="workspace", description="Workspace id (open access only)")] = None,
) -> Response:
    """Validates the answer file exactly like `assembler check`, builds its package and returns
    the build with links to each document, the zip, the plan and the manifest. Invalid answers
    give 422 with every problem (file, line, path, message)."""
    c = ctx(request)
    mine = None
    if c.settings.auth == "token":
        mine = signed_in(request, cookie=False)
        if mine is None:
            raise HTTPException(401, "send Authorization: Bearer TOKEN", {"WWW-Authenticate": "Bearer"})
        if workspace_id and workspace_id != mine.id:
            raise HTTPException(403, "this workspace belongs to another token")
    blob = await answers_file.read(yamlread.MAX_BYTES + 1)
    try:
        tree = await asyncio.to_thread(runner.read_upload, c.runner.scratch, answers_file.filename, blob)
    except InputError as exc:
        return _problems(exc)
    if mine is not None:
        ws = mine
    elif workspace_id:
        ws = workspace(request, workspace_id)
    else:
        ws, _ = c.store.create_workspace(str(tree["agency"]["name"])[:200])
    version = c.store.save_answers(ws, tree, f"sent to the API as {runner.safe_name(answers_file.filename)}")
    build, future = c.runner.build(ws, version)
    await asyncio.wrap_future(future)
    done = build_of(request, ws, build.number)
    return JSONResponse(build_json(request, ws, done), status_code=201 if done.status == "done" else 422)


@router.get("/workspaces/{ws_id}/builds", summary="Every build of a workspace, newest first")
def list_builds(request: Request, ws_id: str) -> list[dict[str, Any]]:
    ws = workspace(request, ws_id)
    return [build_json(request, ws, b) for b in ctx(request).store.builds(ws)]


@router.get("/workspaces/{ws_id}/builds/{number}", summary="One build: status, package and documents")
def get_build(request: Request, ws_id: str, number: int) -> dict[str, Any]:
    ws = workspace(request, ws_id)
    return build_json(request, ws, build_of(request, ws, number))


@router.get("/workspaces/{ws_id}/builds/{number}/plan", summary="What the build produced and why")
def get_plan(request: Request, ws_id: str, number: int) -> dict[str, Any]:
    ws = workspace(request, ws_id)
    build = build_of(request, ws, number)
    if build.status != "done":
        raise HTTPException(409, f"build {build.number} is {build.status}")
    return {k: build.result[k] for k in ("package", "deliverables", "plans")}


@router.get("/workspaces/{ws_id}/builds/{number}/manifest", summary="The package's manifest.json")
def get_manifest(request: Request, ws_id: str, number: int) -> dict[str, Any]:
    ws = workspace(request, ws_id)
    return runner.manifest(folder_of(request, ws, build_of(request, ws, number)))


@router.get("/workspaces/{ws_id}/builds/{number}/documents/{file_name}", summary="One document of the package")
def get_document(request: Request, ws_id: str, number: int, file_name: str) -> Response:
    ws = workspace(request, ws_id)
    return file_response(request, ws, build_of(request, ws, number), file_name)


@router.get("/workspaces/{ws_id}/builds/{number}/package.zip", summary="The whole package as one zip")
def get_zip(request: Request, ws_id: str, number: int) -> Response:
    ws = workspace(request, ws_id)
    return zip_response(request, ws, build_of(request, ws, number))


@router.get("/workspaces/{ws_id}/plan", summary="What a build of the current answers would produce, and why")
async def draft_plan(request: Request, ws_id: str) -> Response:
    ws = workspace(request, ws_id)
    latest = ctx(request).store.latest(ws)
    tree = dict(latest.answers) if latest else {}
    problems = forms.whole(tree, asked.interview())
    if problems:
        found = [{"path": path, "message": message, "step": step.number} for step, path, message in problems]
        return JSONResponse({"detail": "the answers are not complete", "problems": found}, status_code=422)
    result = await asyncio.wrap_future(ctx(request).runner.plan(ws, tree))
    return JSONResponse(result, status_code=422 if result.get("errors") else 200)


@router.get("/workspaces/{ws_id}/answers", summary="The current answers as an answer file")
def draft_answers(request: Request, ws_id: str) -> Response:
    ws = workspace(request, ws_id)
    latest = ctx(request).store.latest(ws)
    text = runner.answer_text(dict(latest.answers) if latest else {}, ws.name)
    return Response(text, media_type="application/yaml")


@router.get("/workspaces/{ws_id}/compare", summary="What changed between two builds")
def compare_builds(request: Request, ws_id: str, old: int, new: int) -> dict[str, Any]:
    ws = workspace(request, ws_id)
    return compare(request, ws, old, new)[2].to_json()
