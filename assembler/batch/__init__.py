"""Batch: many agency files over shared defaults, in worker processes or on a Dask cluster.

Owns: the run over a folder, its pool and its cluster (``run``, the only module importing
``distributed``) and what a worker does with each agency (``worker``: read, skip when unchanged,
build, write while making the next; it never raises).
May import: ``assembler.pipeline`` and everything below it.
"""
