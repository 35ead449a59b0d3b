"""Trains a one-hidden-layer network on the handwritten digits with numpy.

Reads /data/digits.csv.gz (64 pixel columns, then the label), holds out a
fixed 20% of the rows (the same for every task), trains with mini-batch SGD
and writes /out/model.json and /out/metrics.json (no timings, so replicas of
a task on the same CPU type give identical outputs). Settings come from the
environment (LR, HIDDEN, EPOCHS, BATCH) and the weights are seeded from
BONFIRE_SEED, so one task run twice on the same CPU gives the same files.
"""
import gzip
import json
import os
import sys
import time

import numpy as np


def load(path):
    with gzip.open(path, "rt") as f:
        rows = np.loadtxt(f, delimiter=",", dtype=np.float64)
    return rows[:, :64] / 16.0, rows[:, 64].astype(np.int64)


def main():
    lr = float(os.environ.get("LR", "0.1"))
    hidden = int(os.environ.get("HIDDEN", "64"))
    epochs = int(os.environ.get("EPOCHS", "30"))
    batch = int(os.environ.get("BATCH", "32"))
    seed = int(os.environ.get("BONFIRE_SEED", "1")) % (2**32)
    data = os.environ.get("DATA", "/data/digits.csv.gz")
    out = os.environ.get("OUT", "/out")

    start = time.perf_counter()
    x, y = load(data)
    order = np.random.default_rng(0).permutation(len(y))  # fixed split for every task
    cut = int(len(y) * 0.8)
    tr, te = order[:cut], order[cut:]
    rng = np.random.default_rng(seed)
    w1 = rng.normal(0, np.sqrt(2.0 / 64), (64, hidden))
    b1 = np.zeros(hidden)
    w2 = rng.normal(0, np.sqrt(1.0 / hidden), (hidden, 10))
    b2 = np.zeros(10)

    def forward(xb):
        h = np.maximum(xb @ w1 + b1, 0)
        z = h @ w2 + b2
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        return h, p

    for epoch in range(epochs):
        perm = rng.permutation(tr)
        for i in range(0, len(perm), batch):
            idx = perm[i:i + batch]
            xb, yb = x[idx], y[idx]
            h, p = forward(xb)
            p[np.arange(len(idx)), yb] -= 1
            p /= len(idx)
            gw2, gb2 = h.T @ p, p.sum(axis=0)
            dh = (p @ w2.T) * (h > 0)
            gw1, gb1 = xb.T @ dh, dh.sum(axis=0)
            w1 -= lr * gw1
            b1 -= lr * gb1
            w2 -= lr * gw2
            b2 -= lr * gb2
        _, pt = forward(x[te])
        acc = float((pt.argmax(axis=1) == y[te]).mean())
        print(f"epoch {epoch + 1}/{epochs} held-out accuracy {acc:.4f}", flush=True)

    _, pt = forward(x[te])
    loss = float(-np.log(pt[np.arange(len(te)), y[te]] + 1e-12).mean())
    acc = float((pt.argmax(axis=1) == y[te]).mean())
    os.makedirs(out, exist_ok=True)
    # JSON rather than .npz: numpy's zip archives stamp the time of writing,
    # which would make two honest runs differ.
    with open(os.path.join(out, "model.json"), "w") as f:
        json.dump({"layers": [64, hidden, 10], "w1": w1.tolist(), "b1": b1.tolist(),
                   "w2": w2.tolist(), "b2": b2.tolist()}, f)
    metrics = {"accuracy": acc, "loss": loss, "lr": lr, "hidden": hidden, "epochs": epochs,
               "batchSize": batch, "seed": seed, "trainRows": len(tr), "heldOutRows": len(te),
               "numpy": np.__version__}
    with open(os.path.join(out, "metrics.json"), "w") as f:
        json.dump(metrics, f, sort_keys=True)
    print(json.dumps(metrics, sort_keys=True))
    # Timing goes to the log, not the outputs, so honest replicas agree.
    print(f"trained in {time.perf_counter() - start:.3f}s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
