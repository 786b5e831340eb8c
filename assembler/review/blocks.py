"""What a reviewer compares of a document: its blocks (paragraphs, table rows, slide texts,
calendar properties, schedule tasks, each named by where it stands) and a workbook's cells."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Block:
    where: str  # "3.2 Change Control, paragraph 4" / "table 'Participants', row 3"
    text: str
    cells: tuple[str, ...] = ()  # table rows: each cell's text
    headers: tuple[str, ...] = ()  # table rows: the column headings
    style: str = ""  # paragraph style and run formatting, for formatting-only changes


@dataclass(frozen=True)
class Cell:
    value: str
    formula: str = ""


@dataclass(frozen=True)
class Document:
    kind: str
    blocks: tuple[Block, ...] = ()
    sheets: tuple[tuple[str, dict[str, Cell]], ...] = ()
