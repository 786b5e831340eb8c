"""Render: templates filled with a context, as the bytes of each Word and Excel part.

Owns: the context templates read (``context`` + ``labels``: answers and derived values, with
``raci``, ``context_charter``, ``context_plans`` and ``context_register`` for the documents that
need more); Word filling (``word``, the only module importing docxtpl, with ``word_body``,
``word_grid`` and ``word_shapes``, which reuse the serialised bytes of elements seen before);
Excel filling at the XML level (``excel``, ``excel_xml``, ``excel_out``: openpyxl stays behind
them; ``excel_fit`` + ``excel_metrics``: row heights from the wrapped text); the zip writer that takes
members compressed once (``ziputil``); the safety checks of an Office file before any parser
sees it (``container``); the other kinds of file (``kinds`` says which module fills each): the
launch meeting's slide deck (``slides``, the only module importing python-pptx, with
``slides_content``, ``slides_fit``, ``slides_timeline``) and calendar invitation (``calendar``, the
only module importing icalendar), and the schedule for MS Project (``mspdi``); the phase
checklist's and the timeline figure's values (``context_checklist``, ``context_standing``,
``context_timeline``); and ``templates check`` (``template_check``, ``word_tags``,
``context_fields``).
May import: ``assembler.rules``, ``assembler.answers``, ``assembler.templating``,
``assembler.errors``.
"""
