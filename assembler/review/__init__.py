"""Review: what changed between two packages or documents, in words a reviewer reads.

Owns: Word and Excel files read into structure (``docread``; slide decks, calendar files and
MS Project XML by ``otherread``; the blocks compared: ``blocks``), their comparison (``diff``), the
text, JSON and HTML reports (``diff_report``) and tracked-changes copies (``redline``, the only
module importing python-redlines).
May import: ``assembler.errors`` only.
"""
