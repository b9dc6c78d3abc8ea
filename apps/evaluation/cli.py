"""The ``eval`` sub-command: ``motive eval seqrec ...``, ``motive eval crs ...`` and
``motive eval simulate ...``.

``apps/cli.py`` wires it in with ``add_eval_commands(subparsers)``; each sub-sub-command sets
``args.handler``, a ``run_*(args) -> int``. Heavy modules are imported only when a command runs.
"""

from __future__ import annotations

import argparse


def _run_seqrec(args: argparse.Namespace) -> int:
    from apps.evaluation.seqrec import run_seqrec

    return run_seqrec(args)


def _run_crs(args: argparse.Namespace) -> int:
    from apps.evaluation.crs import run_crs

    return run_crs(args)


def _run_simulate(args: argparse.Namespace) -> int:
    from apps.evaluation.simulate import run_simulate

    return run_simulate(args)


def _run_understanding(args: argparse.Namespace) -> int:
    from apps.evaluation.understanding import run_understanding

    return run_understanding(args)


def _run_export(args: argparse.Namespace) -> int:
    from apps.evaluation.export import run_export

    return run_export(args)


def add_eval_commands(subparsers) -> argparse.ArgumentParser:
    """Add ``eval`` (with ``seqrec``, ``crs`` and ``simulate``) to an argparse ``subparsers`` object."""
    from apps.evaluation.crs import add_arguments as crs_arguments
    from apps.evaluation.seqrec import add_arguments as seqrec_arguments
    from apps.evaluation.export import add_arguments as export_arguments
    from apps.evaluation.understanding import add_arguments as understanding_arguments
    from apps.evaluation.simulate import add_arguments as simulate_arguments

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
    simulate = commands.add_parser(
        "simulate", help="multi-turn sessions with a simulated shopper holding a hidden target (success@K)")
    simulate_arguments(simulate)
    simulate.set_defaults(handler=_run_simulate)
    understanding = commands.add_parser(
        "understanding", help="how well messages are read, against independently labelled messages (slot F1, joint)")
    understanding_arguments(understanding)
    understanding.set_defaults(handler=_run_understanding)
    export = commands.add_parser(
        "export", help="write a data folder (H&M, MiniOneRec) as a catalog file for `motive ingest`")
    export_arguments(export)
    export.set_defaults(handler=_run_export)
    return parser
