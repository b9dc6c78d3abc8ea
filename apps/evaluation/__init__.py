"""Offline evaluation on public data: ``motive eval seqrec`` and ``motive eval crs``.

Metrics are pure functions (:mod:`apps.evaluation.metrics`); each benchmark has a data module
(``seqrec_data``, ``crs_data``), its methods, and a runner that prints a table and writes JSON.
See ``docs/BENCHMARKS.md`` for the protocols and the latest figures.
"""
