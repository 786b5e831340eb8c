"""The review page: every answer of the interview, part by part, each part with a link to change
it, before the plan and the build. The same views as the steps' pages, shown as text."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from assembler.interview import forms
from assembler.interview.form_views import Builder

from . import asked
from .common import render, workspace
from .pages import _draft, _nav, _steps

router = APIRouter(include_in_schema=False)


@router.get("/w/{ws_id}/review")
def review_page(request: Request, ws_id: str) -> Response:
    ws = workspace(request, ws_id)
    tree = _draft(request, ws)
    builder = Builder(tree, {})
    parts = [{"step": step, "view": builder.step(step), "answered": step.key in tree} for step in _steps()]
    problems = forms.whole(tree, asked.interview())
    return render(request, "review.html", ws=ws, parts=parts, problems=problems, **_nav(tree))
