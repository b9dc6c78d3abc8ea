"""SASRec (Kang & McAuley, 2018) on CPU, an optional baseline of ``motive eval seqrec --sasrec``.

PyTorch is not a dependency of Motive: install it apart (``pip install torch==2.13.0``, the CPU
build); without it :func:`sasrec_available` is False and the command says so.

Model and budget (fixed, so a run is reproducible): item and learned position embeddings of
:data:`DIM` dimensions, :data:`BLOCKS` causal self-attention blocks with :data:`HEADS` heads,
dropout :data:`DROPOUT`, inputs the last :data:`MAX_LEN` items. Trained on the same training
sequences as every other learned method (never a test target) to predict each next item with a
full softmax over the catalog (cross-entropy, which on small data works better than the original
single-negative loss), Adam at :data:`LR`, batches of :data:`BATCH`, ``epochs`` passes (default
200), seed ``seed``. One thread per core; the run prints the training time.
"""

from __future__ import annotations

import sys
import time
from typing import Sequence

import numpy as np

from apps.evaluation.seqrec_data import SeqCase
from apps.evaluation.seqrec_training import Training

DIM = 64
BLOCKS = 2
HEADS = 1
DROPOUT = 0.2
MAX_LEN = 20
LR = 1e-3
BATCH = 128


def sasrec_available() -> bool:
    try:
        import torch  # noqa: F401
    except ImportError:
        return False
    return True


def _model(n_items: int):
    import torch
    from torch import nn

    class SASRec(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.items = nn.Embedding(n_items + 1, DIM, padding_idx=0)  # index 0 pads
            self.positions = nn.Embedding(MAX_LEN, DIM)
            layer = nn.TransformerEncoderLayer(DIM, HEADS, dim_feedforward=DIM, dropout=DROPOUT,
                                               batch_first=True, norm_first=True)
            self.blocks = nn.TransformerEncoder(layer, BLOCKS, enable_nested_tensor=False)
            self.norm = nn.LayerNorm(DIM)
            self.dropout = nn.Dropout(DROPOUT)

        def forward(self, seqs: "torch.Tensor") -> "torch.Tensor":
            positions = torch.arange(seqs.shape[1], device=seqs.device)[None, :]
            x = self.items(seqs) * DIM ** 0.5 + self.positions(positions)
            x = self.dropout(x)
            causal = torch.triu(torch.ones(seqs.shape[1], seqs.shape[1], dtype=torch.bool), diagonal=1)
            x = self.blocks(x, mask=causal, src_key_padding_mask=seqs == 0)
            return self.norm(x)

        def logits(self, hidden: "torch.Tensor") -> "torch.Tensor":
            return hidden @ self.items.weight[1:].T  # (…, n_items), column j is item j

    return SASRec()


def _left_pad(seq: Sequence[int], length: int) -> list[int]:
    seq = [x + 1 for x in seq[-length:]]
    return [0] * (length - len(seq)) + seq


class SASRecMethod:
    name = "sasrec"

    def __init__(self, n_items: int, epochs: int = 200, seed: int = 0):
        self.n_items = n_items
        self.epochs = epochs
        self.seed = seed
        self.model = None
        self.train_seconds = 0.0
        self.learns = (f"the training sequences (next-item prediction; {epochs} epochs, seed {seed}, "
                       f"dim {DIM}, {BLOCKS} blocks, max length {MAX_LEN})")

    def fit(self, training: Training) -> None:
        import torch

        torch.manual_seed(self.seed)
        rng = np.random.default_rng(self.seed)
        inputs, targets = [], []
        for seq in training.sequences.values():
            if len(seq) < 2:
                continue
            # every window of up to MAX_LEN + 1 items ending at each position, so long sequences
            # contribute all their transitions without truncation
            for end in range(len(seq), 1, -MAX_LEN):
                window = seq[max(0, end - MAX_LEN - 1):end]
                inputs.append(_left_pad(window[:-1], MAX_LEN))
                targets.append(_left_pad(window[1:], MAX_LEN))
        x = torch.tensor(inputs, dtype=torch.long)
        y = torch.tensor(targets, dtype=torch.long)
        model = _model(self.n_items)
        optimiser = torch.optim.Adam(model.parameters(), lr=LR, betas=(0.9, 0.98))
        started = time.perf_counter()
        model.train()
        for epoch in range(self.epochs):
            order = rng.permutation(len(x))
            for start in range(0, len(order), BATCH):
                idx = torch.as_tensor(order[start:start + BATCH])
                hidden = model(x[idx])
                mask = y[idx] > 0
                logits = model.logits(hidden[mask])
                loss = torch.nn.functional.cross_entropy(logits, y[idx][mask] - 1)
                optimiser.zero_grad()
                loss.backward()
                optimiser.step()
            if (epoch + 1) % 50 == 0:
                print(f"sasrec: epoch {epoch + 1}/{self.epochs}, loss {loss.item():.3f}, "
                      f"{time.perf_counter() - started:.0f}s", file=sys.stderr, flush=True)
        self.train_seconds = time.perf_counter() - started
        model.eval()
        self.model = model

    def score(self, cases: Sequence[SeqCase]) -> np.ndarray:
        import torch

        assert self.model is not None, "fit() first"
        out = np.zeros((len(cases), self.n_items), dtype=np.float32)
        rows = [i for i, c in enumerate(cases) if c.history]  # an empty history scores all zeros
        if rows:
            seqs = torch.tensor([_left_pad(cases[i].history, MAX_LEN) for i in rows], dtype=torch.long)
            with torch.no_grad():
                hidden = self.model(seqs)[:, -1, :]
                out[rows] = self.model.logits(hidden).numpy()
        return out
