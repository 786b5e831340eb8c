"""Templating: the one Jinja configuration every template, rule and question runs in.

Owns: the sandboxed environments (autoescaped for documents, plain text for cells and
properties, lenient for rules) with their per-process compile caches, filters and limits
(``sandbox``), the static reading of which names a template text uses (``fields``), and the
on-disk cache of prepared templates shared by later processes (``cache``).
May import: ``assembler.errors`` (and the version in ``assembler``) only.
"""
