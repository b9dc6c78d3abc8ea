"""The ``eval`` sub-command: ``motive eval seqrec ...`` and ``motive eval crs ...``.

``agent/cli.py`` wires it in with ``add_eval_commands(subparsers)``; each sub-sub-command sets
``args.handler``, a ``run_*(args) -> int``. Heavy modules are imported only when a command runs.
"""

from __future__ import annotations

import argparse


def _run_seqrec(args: argparse.Namespace) -> int:
    from agent.evaluation.seqrec import run_seqrec

    return run_seqrec(args)


def _run_crs(args: argparse.Namespace) -> int:
    from agent.evaluation.crs import run_crs

    return run_crs(args)


def add_eval_commands(subparsers) -> argparse.ArgumentParser:
    """Add ``eval`` (with ``seqrec`` and ``crs``) to an argparse ``subparsers`` object."""
    from agent.evaluation.crs import add_arguments as crs_arguments
    from agent.evaluation.seqrec import add_arguments as seqrec_arguments

    parser = subparsers.add_parser("eval", help="benchmarks on public data (see docs/BENCHMARKS.md)")
    commands = parser.add_subparsers(dest="eval_command", required=True)
    seqrec = commands.add_parser(
        "seqrec", help="next-item prediction on a MiniOneRec-format folder (HR@K, NDCG@K)")
    seqrec_arguments(seqrec)
    seqrec.set_defaults(handler=_run_seqrec)
    crs = commands.add_parser(
        "crs", help="conversational recommendation on ReDial-format turns (Recall@K)")
    crs_arguments(crs)
    crs.set_defaults(handler=_run_crs)
    return parser
