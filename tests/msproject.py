"""Project files as MPXJ reads and writes them: an independent reader of MS Project's formats
(Java, driven through JPype), the library ProjectLibre imports MS Project files with.

``read`` gives what a scheduling tool sees in a file, ``reschedule`` what MS Project's scheduling
rules make of it (MPXJ's MicrosoftScheduler), ``element_order`` the schema's sequence of child
elements (MPXJ's bindings of the Project XML schema), ``write`` a file made by MPXJ itself.
Each runs in a Python process of its own: a JVM's threads must not live in the test process,
which later forks (batch workers are forked).
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
_SCRIPT = "import json, sys, msproject; print(json.dumps(getattr(msproject, sys.argv[1])(*sys.argv[2:])))"


def _call(function: str, *args: str) -> Any:
    if importlib.util.find_spec("mpxj") is None or importlib.util.find_spec("jpype") is None:
        pytest.fail("MPXJ is a dev dependency (pip install -e '.[dev]' installs mpxj and JPype1)")
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        pytest.fail("MPXJ needs Java: apt-get install default-jre-headless (bash .ci/run does)")
    proc = subprocess.run(
        [sys.executable, "-c", _SCRIPT, function, *args], cwd=HERE, capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 0, f"MPXJ ({function}) failed: {proc.stderr[-4000:]}"
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _dates(task: dict[str, Any]) -> dict[str, Any]:
    return {k: dt.datetime.fromisoformat(v) if k in ("start", "finish") and v else v for k, v in task.items()}


def read(path: Path) -> dict[str, Any]:
    """The project, its tasks (task 0 first) and resources as MPXJ reads the file."""
    project = _call("_read", str(path))
    project["tasks"] = [_dates(t) for t in project["tasks"]]
    for key in ("start", "finish"):
        project[key] = dt.datetime.fromisoformat(project[key]) if project[key] else None
    return project


def reschedule(path: Path) -> dict[str, tuple[dt.datetime | None, dt.datetime | None]]:
    """Each task's (start, finish) by WBS after MS Project's scheduling rules ran over the file."""
    found = _call("_reschedule", str(path))
    return {wbs: tuple(dt.datetime.fromisoformat(d) if d else None for d in dates) for wbs, dates in found.items()}


def element_order(*bindings: str) -> dict[str, list[str]]:
    """The child elements of Project XML elements in the schema's sequence, by binding name
    (``Project``, ``Project$Tasks$Task``, ...)."""
    return _call("_orders", *bindings)


def write(path: Path, builder: str) -> Path:
    """A Project XML file written by MPXJ from the project that ``builder`` ("module:function",
    called with the project and a dict of MPXJ classes) fills."""
    _call("_write", str(path), builder)
    return path


# What runs in the process with the JVM.


def _jvm() -> Any:
    import jpype
    import mpxj  # noqa: F401  (puts MPXJ's jars on the class path)

    if not jpype.isJVMStarted():
        jpype.startJVM(convertStrings=True)
    return jpype


def _iso(value: Any) -> str | None:
    return None if value is None else dt.datetime.fromisoformat(str(value)).isoformat()


def _read(path: str) -> dict[str, Any]:
    _jvm()
    from org.mpxj.reader import UniversalProjectReader

    project = UniversalProjectReader().read(path)
    assert project is not None, f"MPXJ does not recognise {path}"
    props = project.getProjectProperties()
    tasks = []
    for t in project.getTasks():
        parent = t.getParentTask()
        tasks.append(
            {
                "uid": int(t.getUniqueID()),
                "name": t.getName(),
                "wbs": t.getWBS(),
                "level": int(t.getOutlineLevel()),
                "start": _iso(t.getStart()),
                "finish": _iso(t.getFinish()),
                "duration": str(t.getDuration()),  # "5.0d"
                "milestone": bool(t.getMilestone()),
                "summary": bool(t.getSummary()),
                "contact": t.getContact(),
                "parent": None if parent is None else parent.getWBS(),
                "predecessors": [
                    [r.getPredecessorTask().getWBS(), str(r.getType()), float(r.getLag().getDuration())]
                    for r in t.getPredecessors()
                ],
                "resources": [a.getResource().getName() for a in t.getResourceAssignments() if a.getResource()],
            }
        )
    return {
        "title": props.getProjectTitle(),
        "name": props.getName(),
        "company": props.getCompany(),
        "author": props.getAuthor(),
        "start": _iso(props.getStartDate()),
        "finish": _iso(props.getFinishDate()),
        "tasks": tasks,
        "resources": [
            {"name": r.getName(), "type": str(r.getType()), "email": r.getEmailAddress(), "group": r.getGroup()}
            for r in project.getResources()
            if r.getName()
        ],
    }


def _reschedule(path: str) -> dict[str, list[str | None]]:
    _jvm()
    from org.mpxj.cpm import MicrosoftScheduler
    from org.mpxj.reader import UniversalProjectReader

    project = UniversalProjectReader().read(path)
    MicrosoftScheduler().schedule(project, project.getProjectProperties().getStartDate())
    return {t.getWBS(): [_iso(t.getStart()), _iso(t.getFinish())] for t in project.getTasks()}


def _orders(*bindings: str) -> dict[str, list[str]]:
    jpype = _jvm()
    forname = jpype.JClass("java.lang.Class").forName
    xml_type, xml_element = (forname(f"jakarta.xml.bind.annotation.{n}") for n in ("XmlType", "XmlElement"))
    found = {}
    for binding in bindings:
        cls = forname(f"org.mpxj.mspdi.schema.{binding}")
        names = []
        for prop in cls.getAnnotation(xml_type).propOrder():
            annotation = cls.getDeclaredField(prop).getAnnotation(xml_element)
            names.append(annotation.name() if annotation is not None and annotation.name() != "##default" else prop)
        found[binding] = names
    return found


def _write(path: str, builder: str) -> None:
    import importlib

    jpype = _jvm()
    module, function = builder.split(":")
    names = ("Duration", "TimeUnit", "Relation", "RelationType", "ResourceType")
    classes = {name: jpype.JClass(f"org.mpxj.{name}") for name in names}
    classes["LocalDateTime"] = jpype.JClass("java.time.LocalDateTime")
    project = jpype.JClass("org.mpxj.ProjectFile")()
    project.setDefaultCalendar(project.addDefaultBaseCalendar())
    getattr(importlib.import_module(module), function)(project, classes)
    jpype.JClass("org.mpxj.mspdi.MSPDIWriter")().write(project, path)
