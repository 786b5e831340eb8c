"""The pages of builds: the list, one build with its documents, downloads, and the redline of
what changed between any two of them. Answers are named by their questions, never by their paths."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse, Response

from assembler.errors import CompareError
from assembler.review import diff, diff_report

from . import glossary, runner
from .common import ctx, render, workspace
from .store import Build, Workspace

router = APIRouter(include_in_schema=False)
MEDIA = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".ics": "text/calendar; charset=utf-8",
    ".xml": "application/xml",  # MS Project reads the schedule's MSPDI from it
    ".json": "application/json",
}


def build_of(request: Request, ws: Workspace, number: int) -> Build:
    found = ctx(request).store.build(ws, number)
    if found is None:
        raise HTTPException(404, "no such build")
    return found


def folder_of(request: Request, ws: Workspace, build: Build) -> Path:
    folder = ctx(request).store.package_folder(ws, build)
    if folder is None:
        raise HTTPException(409 if not build.finished else 404, "this build has no package")
    return folder


def attachment(file_name: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{file_name}"'}


def zip_response(request: Request, ws: Workspace, build: Build) -> Response:
    folder = folder_of(request, ws, build)
    answers = folder.parent / runner.ANSWERS_NAME
    return Response(
        runner.package_zip(folder, answers), media_type="application/zip", headers=attachment(f"{folder.name}.zip")
    )


def file_response(request: Request, ws: Workspace, build: Build, file_name: str) -> Response:
    path = runner.document_path(folder_of(request, ws, build), file_name)
    if path is None:
        raise HTTPException(404, "no such document in this package")
    return FileResponse(path, media_type=MEDIA.get(path.suffix, "application/octet-stream"), filename=path.name)


@router.get("/w/{ws_id}/builds")
def build_list(request: Request, ws_id: str) -> Response:
    ws = workspace(request, ws_id)
    return render(request, "builds.html", ws=ws, builds=ctx(request).store.builds(ws))


@router.get("/w/{ws_id}/builds/{number}")
def build_page(request: Request, ws_id: str, number: int) -> Response:
    ws = workspace(request, ws_id)
    build = build_of(request, ws, number)
    folder = ctx(request).store.package_folder(ws, build)
    documents = runner.documents(folder) if folder else []
    result = glossary.explained(build.result or {})
    return render(request, "build.html", ws=ws, build=build, documents=documents, result=result)


@router.get("/w/{ws_id}/builds/{number}/package.zip")
def build_zip(request: Request, ws_id: str, number: int) -> Response:
    ws = workspace(request, ws_id)
    return zip_response(request, ws, build_of(request, ws, number))


@router.get("/w/{ws_id}/builds/{number}/files/{file_name}")
def build_file(request: Request, ws_id: str, number: int, file_name: str) -> Response:
    ws = workspace(request, ws_id)
    return file_response(request, ws, build_of(request, ws, number), file_name)


@router.get("/w/{ws_id}/builds/{number}/answers.yaml")
def build_answers(request: Request, ws_id: str, number: int) -> Response:
    ws = workspace(request, ws_id)
    build = build_of(request, ws, number)
    path = ctx(request).store.build_folder(ws, build.number) / runner.ANSWERS_NAME
    if not path.is_file():
        raise HTTPException(404, "this build has no answer file")
    return FileResponse(path, media_type="application/yaml", filename=f"answers-build-{build.number}.yaml")


def compare(request: Request, ws: Workspace, old: int, new: int) -> tuple[Build, Build, diff.Report]:
    a, b = build_of(request, ws, old), build_of(request, ws, new)
    try:
        report = diff.compare(folder_of(request, ws, a), folder_of(request, ws, b))
    except CompareError as exc:
        raise HTTPException(422, exc.message) from None
    return a, b, report


@router.get("/w/{ws_id}/compare")
def compare_page(request: Request, ws_id: str, old: int, new: int, format: str = "page") -> Response:
    ws = workspace(request, ws_id)
    a, b, report = compare(request, ws, old, new)
    title = f"Changes from build {a.number} to build {b.number}"
    if format == "html":
        headers = attachment(f"changes-{a.number}-to-{b.number}.html")
        return Response(diff_report.as_html(report, title), media_type="text/html", headers=headers)
    if format == "text":
        return Response(diff_report.as_text(report, color=False), media_type="text/plain; charset=utf-8")
    documents = list(dict.fromkeys(c.document for c in report.changes))
    answers = [(glossary.label(p), glossary.value(p, o), glossary.value(p, n)) for p, o, n in report.answers]
    return render(
        request,
        "compare.html",
        ws=ws,
        old=a,
        new=b,
        report=report,
        documents=documents,
        answers=answers,
        title=title,
        kinds=_KINDS,
    )


_KINDS = {"changed": "changed", "added": "added", "removed": "removed", "formatting": "formatting only"}
