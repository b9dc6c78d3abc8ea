"""What the learned sequential methods may learn from, and the proof that no test target is in it.

The rows of one user overlap: row *k+1*'s history is row *k*'s history plus row *k*'s target (the
last ``W`` items of it, a sliding window). So every later test history carries earlier test
targets, and a model built from all test histories has seen the targets of other test rows.

Two sources are allowed here, and the run says which one it used:

``valid``
    Per user, the valid rows chained back into one sequence: the first valid row's history, then
    every valid target in order. Nothing from the test split.
``valid+prefixes`` (the default)
    The above, plus each test user's *prefix*: the history of that user's first test row, i.e. what
    they bought before their first test case. A prefix contains no test target: a test target is
    only ever seen in the histories of *later* rows of the same user, and those rows are not read.
    :func:`chained_users` checks the sliding-window structure that this argument rests on; a user
    whose test rows do not chain contributes nothing from the test split.

``other-test-users`` (transductive; reported apart, never the headline)
    Test users are split into folds; each fold is scored by methods that also read the complete
    test sequences (histories *and targets*) of the users in the other folds. A case's own target,
    and every target of its user, stays unseen; other users' test-period targets do not. This
    answers "how much does knowing the test period's other shoppers help", which the strict
    settings cannot (:func:`test_fold_training`).

For tuning a blend on valid, :func:`fold_training` builds the same two sources with a fold of valid
users held out: their valid targets are excluded everywhere (including from their own test prefix,
which would repeat them), and only their own valid prefix is kept, mirroring what a test user gets.
"""

from __future__ import annotations

import zlib
from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable, Literal

from apps.evaluation.seqrec_data import SeqCase, SeqRecData

LearnFrom = Literal["valid", "valid+prefixes", "other-test-users"]
LEARN_FROM: tuple[str, ...] = ("valid", "valid+prefixes", "other-test-users")


@dataclass(frozen=True)
class Training:
    """Item sequences (item indices, oldest first), one or more per user, and what they came from."""

    sequences: dict[str, tuple[int, ...]]
    source: str
    """Human-readable account of the data used, printed with the results."""

    @property
    def events(self) -> int:
        return sum(len(s) for s in self.sequences.values())


def by_user(cases: Iterable[SeqCase]) -> dict[str, list[SeqCase]]:
    """Cases grouped by user, each group in file order (oldest first)."""
    out: dict[str, list[SeqCase]] = defaultdict(list)
    for case in cases:
        out[case.user].append(case)
    for group in out.values():
        group.sort(key=lambda c: c.line)
    return dict(out)


def _window(cases: list[SeqCase]) -> int:
    return max((len(c.history) for c in cases), default=0)


def chains(group: list[SeqCase], window: int) -> bool:
    """True when each row's history is the previous row's history plus its target (last
    ``window`` items): the sliding-window structure the leakage argument relies on."""
    for prev, nxt in zip(group, group[1:]):
        expected = (prev.history + (prev.target,))[-window:] if window else ()
        if nxt.history != expected:
            return False
    return True


def chained_users(cases: list[SeqCase]) -> set[str]:
    """Users whose rows in ``cases`` form one sliding window, oldest first."""
    window = _window(cases)
    return {user for user, group in by_user(cases).items() if chains(group, window)}


def user_sequence(group: list[SeqCase], with_targets: bool = True) -> tuple[int, ...]:
    """The first row's history, then (``with_targets``) every row's target in order.

    For rows that chain this is the user's full sequence; for rows that do not, it still only
    holds events that are either a history or a target of these rows.
    """
    if not group:
        return ()
    seq = list(group[0].history)
    if with_targets:
        seq.extend(c.target for c in group)
    return tuple(seq)


def _merge(known: tuple[int, ...], prefix: tuple[int, ...]) -> tuple[int, ...]:
    """Append to ``known`` the part of ``prefix`` it does not already end with."""
    for k in range(min(len(known), len(prefix)), 0, -1):
        if known[-k:] == prefix[:k]:
            return known + prefix[k:]
    return known + prefix


def _prefixes(test: list[SeqCase], skip_users: set[str]) -> tuple[dict[str, tuple[int, ...]], int]:
    ok = chained_users(test)
    groups = by_user(test)
    out = {u: g[0].history for u, g in groups.items() if u in ok and u not in skip_users}
    return out, sum(1 for u in groups if u not in ok)


def training(data: SeqRecData, learn_from: LearnFrom = "valid+prefixes") -> Training:
    """What the learned methods see when the test split is evaluated (see module docstring);
    ``other-test-users`` differs per fold of test users: see :func:`test_fold_training`."""
    if learn_from == "other-test-users":
        learn_from = "valid+prefixes"
    if learn_from not in LEARN_FROM:
        raise ValueError(f"learn_from must be one of {LEARN_FROM}, got {learn_from!r}")
    seqs = {u: user_sequence(g) for u, g in by_user(data.splits["valid"]).items()}
    source = f"valid split: {len(seqs)} users' histories and targets"
    if learn_from == "valid+prefixes" and "test" in data.splits:
        prefixes, broken = _prefixes(data.splits["test"], skip_users=set())
        added = 0
        for user, prefix in prefixes.items():
            merged = _merge(seqs.get(user, ()), prefix)
            added += len(merged) - len(seqs.get(user, ()))
            seqs[user] = merged
        source += (f" + test prefixes (first test row's history) of {len(prefixes)} users "
                   f"({added} events not already in valid)")
        if broken:
            source += f"; {broken} test users skipped (rows do not chain)"
    return Training(seqs, source)


def fold_of(user: str, folds: int) -> int:
    """A stable fold number in ``[0, folds)`` for a user id (CRC32, so runs agree)."""
    return zlib.crc32(user.encode("utf-8")) % folds


def fold_training(data: SeqRecData, fold: int, folds: int,
                  learn_from: LearnFrom = "valid+prefixes") -> tuple[Training, list[SeqCase]]:
    """Training data and held-out valid cases for one fold of valid users.

    Held-out users contribute only their valid prefix (their first valid row's history), exactly as
    test users contribute only their test prefix; their valid targets appear nowhere in training.
    """
    valid = by_user(data.splits["valid"])
    held = {u for u in valid if fold_of(u, folds) == fold}
    seqs: dict[str, tuple[int, ...]] = {}
    for user, group in valid.items():
        seqs[user] = user_sequence(group, with_targets=user not in held)
    if learn_from == "valid+prefixes" and "test" in data.splits:
        # A held-out user's test prefix repeats their valid targets: leave it out.
        prefixes, _ = _prefixes(data.splits["test"], skip_users=held)
        for user, prefix in prefixes.items():
            seqs[user] = _merge(seqs.get(user, ()), prefix)
    cases = [c for u in sorted(held) for c in valid[u]]
    return Training(seqs, f"valid fold {fold}/{folds} held out"), cases


def test_fold_training(data: SeqRecData, fold: int, folds: int) -> tuple[Training, list[SeqCase]]:
    """``other-test-users``: training for one fold of test users, and that fold's test cases.

    Everything of ``valid+prefixes``, plus, for every test user *outside* the fold whose rows chain,
    their complete test sequence (prefix, then each test target in order).
    """
    base = training(data, "valid+prefixes")
    seqs = dict(base.sequences)
    test = by_user(data.splits["test"])
    ok = chained_users(data.splits["test"])
    held = {u for u in test if fold_of(u, folds) == fold}
    added = 0
    for user, group in test.items():
        if user in held or user not in ok:
            continue
        merged = _merge(seqs.get(user, ()), user_sequence(group))
        added += len(merged) - len(seqs.get(user, ()))
        seqs[user] = merged
    cases = [c for c in data.splits["test"] if c.user in held]
    source = (f"{base.source} + complete test sequences of the users outside test fold {fold}/{folds} "
              f"({added} events, other users' test targets included: transductive)")
    return Training(seqs, source), cases
