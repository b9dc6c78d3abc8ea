"""``python -m apps.evaluation seqrec|crs ...``: the ``motive eval`` commands before (and besides)
their wiring into ``motive``."""

from __future__ import annotations

import argparse
import sys

from apps.evaluation.cli import add_eval_commands


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="motive", description="python -m apps.evaluation: the motive eval commands")
    sub = parser.add_subparsers(dest="command", required=True)
    add_eval_commands(sub)
    args = parser.parse_args(["eval", *(sys.argv[1:] if argv is None else argv)])
    return args.handler(args)


if __name__ == "__main__":
    raise SystemExit(main())
