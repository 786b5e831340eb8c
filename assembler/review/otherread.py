"""Read a slide deck (.pptx), a calendar file (.ics) or an MS Project XML schedule (.xml) into the
blocks a reviewer compares (``blocks.Document``), without the libraries that wrote them.

A deck gives a block per slide's title and paragraph and a row per table row ("slide 3
'Revised Plans', table row 2"); a calendar a block per property of each event ("event 1,
DTSTART"), long lines unfolded; a schedule a row per task ("task 4 '1.3'": WBS, name, start,
finish, milestone, predecessors), so ``assembler diff`` names the milestone that moved.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
import zipfile

from .blocks import Block, Document

A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PR = "{http://schemas.openxmlformats.org/package/2006/relationships}"
MS = "{http://schemas.microsoft.com/project}"


def read_pptx(zf: zipfile.ZipFile) -> Document:
    rels = {r.get("Id"): r.get("Target", "") for r in ET.fromstring(zf.read("ppt/_rels/presentation.xml.rels"))}
    order = [rels[s.get(f"{R}id")] for s in ET.fromstring(zf.read("ppt/presentation.xml")).iter(f"{P}sldId")]
    blocks: list[Block] = []
    for n, target in enumerate(order, start=1):
        path = target.lstrip("/") if target.startswith("/") else f"ppt/{target}"
        slide = ET.fromstring(zf.read(path))
        title, texts = "", []
        for shape in slide.iter(f"{P}sp"):
            kind = shape.find(f"{P}nvSpPr/{P}nvPr/{P}ph")
            paragraphs = ["".join(t.text or "" for t in p.iter(f"{A}t")) for p in shape.iter(f"{A}p")]
            paragraphs = [p for p in paragraphs if p.strip()]
            if kind is not None and kind.get("type") in ("title", "ctrTitle") and not title:
                title = " ".join(paragraphs)
            else:
                texts += paragraphs
        where = f"slide {n} '{title}'"
        blocks.append(Block(f"heading '{title or f'slide {n}'}'", title or f"slide {n}"))
        blocks += [Block(f"{where}, paragraph {i}", text) for i, text in enumerate(texts, start=1)]
        for t, table in enumerate(slide.iter(f"{A}tbl"), start=1):
            rows = [["".join(x.text or "" for x in c.iter(f"{A}t")) for c in tr.findall(f"{A}tc")] for tr in table]
            rows = [r for r in rows if r]
            headers = tuple(rows[0]) if rows else ()
            for i, cells in enumerate(rows[1:], start=2):
                blocks.append(Block(f"{where}, table {t}, row {i}", " | ".join(cells), tuple(cells), headers))
    return Document("pptx", tuple(blocks))


def read_ics(data: bytes) -> Document:
    text = re.sub(r"\r?\n[ \t]", "", data.decode("utf-8"))  # unfold continued lines (RFC 5545 3.1)
    blocks: list[Block] = []
    event = 0
    for line in text.splitlines():
        name, _, value = line.partition(":")
        if line.startswith("BEGIN:VEVENT"):
            event += 1
            blocks.append(Block(f"heading 'event {event}'", f"event {event}"))
        elif event and name and not line.startswith(("BEGIN:", "END:")):
            shown = value.replace("\\n", "\n").replace("\\,", ",").replace("\\;", ";").replace("\\\\", "\\")
            blocks.append(Block(f"event {event}, {name}", f"{name}: {shown}"))
    return Document("ics", tuple(blocks))


def read_mspdi(data: bytes) -> Document:
    root = ET.fromstring(data)
    columns = ("WBS", "Name", "Start", "Finish", "Milestone", "Predecessors")
    blocks: list[Block] = [Block("heading 'tasks'", "tasks")]
    for task in root.iter(f"{MS}Task"):
        links = ", ".join(link.findtext(f"{MS}PredecessorUID") or "" for link in task.findall(f"{MS}PredecessorLink"))
        cells = (*(task.findtext(f"{MS}{c}") or "" for c in columns[:-1]), links)
        label = f"task {task.findtext(f'{MS}UID')} '{cells[0]}'"
        blocks.append(Block(label, " | ".join(cells), cells, columns))
    return Document("xml", tuple(blocks))
