"""Fill a Word template (docxtpl syntax) with a context; the only module importing docxtpl.

Rendering runs in the Jinja sandbox (autoescape on, undefined names are errors). Opening and
saving with python-docx cost far more than filling, so each template is prepared once per process
(``_Prepared``; kept on disk for later processes by ``templating.cache``): the parts docxtpl
renders compiled, every other part as python-docx saves it, compressed. A render fills the parts
with docxtpl's post-processing and python-docx's serialisation, byte for byte the same, reusing
elements seen before (``word_body``); on any error docxtpl renders it again and reports it.
"""

from __future__ import annotations

import copy
import io
import re
import zipfile
from collections import OrderedDict
from collections.abc import Mapping
from functools import lru_cache, partial
from pathlib import Path
from typing import Any, NamedTuple

import jinja2
from docx import Document
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.coreprops import CoreProperties
from docx.opc.oxml import serialize_part_xml
from docx.opc.parts.coreprops import CorePropertiesPart
from docx.oxml.ns import nsmap
from docx.oxml.parser import parse_xml
from docxtpl import DocxTemplate
from lxml import etree

from assembler.errors import TemplateError
from assembler.templating import cache, sandbox

from . import container, word_body, word_grid, word_shapes, word_tags, ziputil


class _Template(DocxTemplate):
    """docxtpl with its XML clean-up done once per distinct part, not once per document."""

    def patch_xml(self, src_xml: str) -> str:
        return _patched(src_xml)

    def render_properties(self, context: dict[str, Any], jinja_env: Any = None) -> None:
        props = self.docx.core_properties
        for name in _PROPERTIES:
            setattr(props, name, _property(getattr(props, name)).render(context))


def _property(source: str) -> Any:
    """A core property's template. Properties are text, escaped by python-docx when written:
    autoescaped, "Tom & Jerry" would come out as "Tom &amp; Jerry" (docxtpl's own behaviour)."""
    return sandbox.sheet_env().from_string(source)


@lru_cache(maxsize=128)
def _patched(src_xml: str) -> str:
    # docxtpl's patch_xml is a pure function of the XML text (it reads no instance state).
    return str(DocxTemplate.patch_xml(None, src_xml))


def render(template: Path, context: Mapping[str, Any]) -> bytes:
    """The filled document as bytes (not yet normalised for determinism: see package)."""
    parts = _render_prepared(template, context)
    if parts is None:
        return _render_docxtpl(template, context)
    members = [p if isinstance(p, ziputil.Member) else ziputil.deflate(*p) for p in parts]
    return sandbox.check_size(template.name, ziputil.write(members))


def render_parts(template: Path, context: Mapping[str, Any]) -> list[ziputil.Part]:
    """The parts of the filled document, for ``package.normalize_parts`` (no zip in between)."""
    parts = _render_prepared(template, context)
    if parts is not None:
        return parts
    with zipfile.ZipFile(io.BytesIO(_render_docxtpl(template, context))) as zf:
        return [(name, zf.read(name)) for name in zf.namelist()]


def _render_prepared(template: Path, context: Mapping[str, Any]) -> list[ziputil.Part] | None:
    """The prepared template's parts; None where docxtpl must render it (and report any error)."""
    prepared = _prepared(template, _check_container(template))
    if prepared is None:
        return None
    try:
        with sandbox.time_limit(template.name):
            return prepared.render(dict(context))
    except TemplateError:
        raise
    except Exception:  # rendered again by docxtpl, which reports it as it always did
        return None


def _render_docxtpl(template: Path, context: Mapping[str, Any]) -> bytes:
    try:
        doc = _Template(str(template))
        with sandbox.time_limit(template.name):
            doc.render(dict(context), jinja_env=sandbox.template_env(), autoescape=True)
        out = io.BytesIO()
        doc.save(out)
    except jinja2.TemplateError as exc:
        raise TemplateError(word_tags.describe(template, doc, exc, context)) from None
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise TemplateError(f"{template.name}: not a usable Word template ({exc})") from None
    return sandbox.check_size(template.name, out.getvalue())


_PROPERTIES = ("author", "comments", "identifier", "language", "subject", "title")  # docxtpl renders these
_SECTIONS = "./w:body/w:p/w:pPr/w:sectPr | ./w:body/w:sectPr"  # python-docx's Document.sections
_PROLOG = re.compile(r"\s*<\?xml [^<>]*\?>\s*")  # an XML declaration, before the root element
_DECLARATION = b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"  # serialize_part_xml's


class _Part(NamedTuple):
    name: str  # zip member
    template: Any  # jinja2.Template of the patched XML, as docxtpl's render_xml_part compiles it
    encoding: str


class _Prepared:
    """One template, ready to fill: what docxtpl's render and python-docx's save do, done once."""

    def __init__(self, template: Path) -> None:
        self.name = template.name
        blob = template.read_bytes()  # what an earlier process made from it: parts patched, the others saved
        known: dict[str, Any] = cache.load("docx", entry := cache.key(blob)) or {}
        made: dict[str, tuple[str, str]] = {}
        doc = Document(io.BytesIO(blob))
        root, package = doc.element, doc.part.package
        parts = known.get("parts") or {}
        self.body = _part(doc.part.partname.membername, etree.tostring(root.body, encoding="unicode"), parts, made)
        # The document element with an empty body: each render puts its filled body in a copy.
        self.skeleton = copy.deepcopy(root)
        self.body_index = list(self.skeleton).index(self.skeleton.body)
        for child in list(self.skeleton.body):
            self.skeleton.body.remove(child)
        rels = list(doc.part.rels.values())
        self.headers_footers = [
            _part(r.target_part.partname.membername, doc_text, parts, made)
            for uri in (DocxTemplate.HEADER_URI, DocxTemplate.FOOTER_URI)
            for r in rels
            if r.reltype == uri and r.target_part.blob
            for doc_text in [etree.tostring(parse_xml(r.target_part.blob), encoding="unicode")]
        ]
        footnotes = [p for p in package.iter_parts() if p.content_type == CT.WML_FOOTNOTES]
        self.footnote_texts = [(p.partname.membername, p.blob.decode("utf-8")) for p in footnotes]
        core = next((r.target_part for r in package.rels.values() if r.reltype == RT.CORE_PROPERTIES), None)
        if not isinstance(core, CorePropertiesPart):
            raise ValueError("no core properties part")  # python-docx would add one, dated now
        self.core_name = core.partname.membername
        self.core_element = core.element
        props = core.core_properties
        self.properties = [_property(getattr(props, name)) for name in _PROPERTIES]
        self.memo: OrderedDict[Any, Any] = OrderedDict()
        self.elements = word_body.Elements(partial(DocxTemplate.fix_tables, None))  # the body's elements, serialised
        self.part_shapes = word_shapes.Shapes(drops_blank_text=True)  # of headers and footers
        dynamic = [self.body.name, self.core_name, *(p.name for p in self.headers_footers)]
        dynamic += [name for name, _ in self.footnote_texts]
        if len(set(dynamic)) != len(dynamic):
            raise ValueError("a part rendered twice")
        # Every other part exactly as python-docx saves it (its own load and save, once).
        order, static = known.get("saved") or _saved(blob, dynamic)
        self.order, self.static = list(order), {m[0]: ziputil.restored(*m) for m in static}
        if not known:
            cache.store("docx", entry, {"parts": made, "saved": (order, static)})

    def render(self, context: dict[str, Any]) -> list[ziputil.Part]:
        """The parts of the filled document in package order: the unchanged ones compressed already."""
        # A part's bytes are a function of its filled text, which often repeats between builds.
        data, sections = self._document(_fill(self.body, context))
        parts = {self.body.name: data}
        for part in self.headers_footers:
            text = _fill(part, context)
            parts[part.name] = word_body.memo(self.memo, (part.name, text), self._header_footer, text, part.encoding)
        try:
            values = tuple(t.render(context) for t in self.properties)
        except jinja2.TemplateError as exc:
            message = exc.message or str(exc)
            unknown = sandbox.unknown_field(message, context) if isinstance(exc, jinja2.UndefinedError) else None
            raise TemplateError(f"{self.name}, document properties: {unknown or message}") from None
        parts[self.core_name] = word_body.memo(self.memo, (self.core_name, *values), self._core, values)
        texts = dict(self.footnote_texts)
        for _section in range(sections) if texts else ():
            for name in texts:  # docxtpl renders footnotes once per section, each time on the last result
                texts[name] = _fill(_part(name, texts[name]), context)
        parts.update((name, text.encode("utf-8")) for name, text in texts.items())
        out: list[ziputil.Part] = []
        for name in self.order:
            member = self.static.get(name)
            out.append((name, parts[name]) if member is None else member)
        return out

    def _document(self, body: str) -> tuple[bytes, int]:
        """word/document.xml from the filled body as docxtpl builds it, and its number of sections."""
        known = self.elements.document(body)
        if known is not None:
            return known
        tree = _fix_tables(body)
        for number, elt in enumerate(tree.xpath("//wp:docPr", namespaces=nsmap), start=1001):
            elt.attrib["id"] = str(number)  # docxtpl's fix_docpr_ids
        root = copy.deepcopy(self.skeleton)
        root.replace(root[self.body_index], tree)
        data = serialize_part_xml(root)
        self.elements.learn(body, data)
        return data, len(root.xpath(_SECTIONS))

    def _header_footer(self, text: str, encoding: str) -> bytes:
        """A header or footer as python-docx saves it after docxtpl loads its filled XML; made
        from a known shape (``word_shapes``) when it has one, since most differ only in text."""
        if encoding.lower().replace("-", "") != "utf8":
            return _serialized(text.encode(encoding))

        def parsed() -> tuple[bytes, int] | None:
            data = _serialized(text.encode(encoding))
            return (data[len(_DECLARATION) :], 0) if data.startswith(_DECLARATION) else None

        prolog = _PROLOG.match(text)
        made = self.part_shapes.serialise("", text[prolog.end() :] if prolog else text, parsed)
        return _serialized(text.encode(encoding)) if made is None else _DECLARATION + made[0]

    def _core(self, values: tuple[str, ...]) -> bytes:
        """docProps/core.xml after docxtpl's render_properties."""
        element = copy.deepcopy(self.core_element)
        props = CoreProperties(element)
        for name, value in zip(_PROPERTIES, values, strict=True):
            setattr(props, name, value)
        return serialize_part_xml(element)


def _saved(blob: bytes, dynamic: list[str]) -> tuple[list[str], list[tuple[str, int, bytes]]]:
    """The order of a template's parts as python-docx saves it, and its unchanging parts compressed."""
    Document(io.BytesIO(blob)).save(saved := io.BytesIO())
    with zipfile.ZipFile(saved) as zf:
        names = zf.namelist()
        if len(set(names)) != len(names) or not set(dynamic) <= set(names):
            raise ValueError("unexpected parts")
        order = sorted(names, key=lambda n: (n != "[Content_Types].xml", n))
        return order, [ziputil.kept(ziputil.deflate(n, zf.read(n))) for n in names if n not in dynamic]


def _serialized(xml: bytes) -> bytes:
    """A header or footer as python-docx saves it after docxtpl loads its filled XML (XmlPart.load)."""
    return serialize_part_xml(parse_xml(xml))


def _part(name: str, xml: str, known: Mapping[str, Any] | None = None, made: dict[str, Any] | None = None) -> _Part:
    """A part's XML patched and compiled as docxtpl's render_xml_part does it (the patched text
    from ``known``, a cache entry, when it holds it), recorded in ``made``."""
    found = (known or {}).get(name) or (
        re.sub(r"<w:p([ >])", r"\n<w:p\1", _patched(xml)),
        DocxTemplate.get_headers_footers_encoding(None, xml),
    )
    (made if made is not None else {})[name] = found
    return _Part(name, sandbox.template_env().from_string(found[0]), found[1])


def _fill(part: _Part, context: dict[str, Any]) -> str:
    """docxtpl's render_xml_part, after its compilation step."""
    return word_body.resolve_listings(word_body.unescape(part.template.render(context)), _resolve_listing)


def _resolve_listing(match: re.Match[str]) -> str:
    """docxtpl's resolve_listing for one paragraph (its regex matches it whole), run only where needed."""
    text = match.group(0)
    return str(DocxTemplate.resolve_listing(None, text)) if any(c in text for c in word_body.LISTING) else text


def _fix_tables(xml: str) -> Any:
    """docxtpl's fix_tables, whose Python loops run only when a table's grid needs fixing."""
    tree = etree.fromstring(xml, parser=etree.XMLParser(recover=True))
    return tree if word_grid.tables_fit(tree) else DocxTemplate.fix_tables(None, xml)


_cache: OrderedDict[container.Version, _Prepared | None] = OrderedDict()
_check_container = partial(container.check_once, kind="docx")  # once per version of the file on disk


def _prepared(template: Path, key: container.Version) -> _Prepared | None:
    """The prepared template (None: use docxtpl), per path and version of the file on disk."""
    if key not in _cache:
        try:
            _cache[key] = _Prepared(template)
        except Exception:  # anything unexpected: docxtpl renders it, as before
            _cache[key] = None
        if len(_cache) > 32:
            _cache.popitem(last=False)
    _cache.move_to_end(key)
    return _cache[key]


def sources(template: Path) -> list[str]:
    """The template text of every part (body, headers, footers) as the renderer sees it."""
    _check_container(template)
    with zipfile.ZipFile(template) as zf:
        parts = [n for n in zf.namelist() if re.fullmatch(r"word/(document|header\d*|footer\d*)\.xml", n)]
        return [_patched(zf.read(n).decode("utf-8")) for n in sorted(parts)]
