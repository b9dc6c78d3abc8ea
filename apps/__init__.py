"""The applications that drive the graph: the ``motive`` command (``cli.py``), the benchmarks,
the load tests, ``motive forget`` and ``motive eval`` (``evaluation/``). The top layer: it may
import ``ui``, ``graph``, ``tools`` and ``agent``; none of them imports it."""
