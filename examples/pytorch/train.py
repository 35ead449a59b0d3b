"""Trains a small MLP on the handwritten digits with PyTorch, on the GPU
when one is given (resources.gpu) and on the CPU otherwise.

Reads /data/digits.csv.gz, holds out a fixed 20%, writes /out/model.pt and
/out/metrics.json ({"accuracy", "loss", ...}). GPU kernels are not bit-for-bit
reproducible across runs, so the job verifies replicas with
verify.numeric (accuracy and loss within a tolerance) on homogeneous
providers rather than by comparing output digests.
"""
import gzip
import json
import os

import numpy as np
import torch
from torch import nn


def main():
    lr = float(os.environ.get("LR", "0.1"))
    hidden = int(os.environ.get("HIDDEN", "128"))
    epochs = int(os.environ.get("EPOCHS", "50"))
    seed = int(os.environ.get("BONFIRE_SEED", "1")) % (2**31)
    torch.manual_seed(seed)
    device = "cuda" if torch.cuda.is_available() else "cpu"

    with gzip.open("/data/digits.csv.gz", "rt") as f:
        rows = np.loadtxt(f, delimiter=",", dtype=np.float32)
    x = torch.tensor(rows[:, :64] / 16.0)
    y = torch.tensor(rows[:, 64], dtype=torch.long)
    order = torch.tensor(np.random.default_rng(0).permutation(len(y)))
    cut = int(len(y) * 0.8)
    tr, te = order[:cut], order[cut:]
    x, y = x.to(device), y.to(device)

    model = nn.Sequential(nn.Linear(64, hidden), nn.ReLU(), nn.Linear(hidden, 10)).to(device)
    opt = torch.optim.SGD(model.parameters(), lr=lr)
    loss_fn = nn.CrossEntropyLoss()
    for epoch in range(epochs):
        perm = tr[torch.randperm(len(tr))]
        for i in range(0, len(perm), 32):
            idx = perm[i:i + 32].to(device)
            opt.zero_grad()
            loss = loss_fn(model(x[idx]), y[idx])
            loss.backward()
            opt.step()
    with torch.no_grad():
        logits = model(x[te.to(device)])
        loss = float(loss_fn(logits, y[te.to(device)]))
        acc = float((logits.argmax(1) == y[te.to(device)]).float().mean())
    os.makedirs("/out", exist_ok=True)
    torch.save(model.state_dict(), "/out/model.pt")
    metrics = {"accuracy": acc, "loss": loss, "lr": lr, "hidden": hidden, "epochs": epochs, "seed": seed,
               "device": device, "gpu": torch.cuda.get_device_name(0) if device == "cuda" else ""}
    with open("/out/metrics.json", "w") as f:
        json.dump(metrics, f, sort_keys=True)
    print(json.dumps(metrics, sort_keys=True))


if __name__ == "__main__":
    main()
