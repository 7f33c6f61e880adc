"""One training step of Guo's CAE (a batch of 256 Fashion-MNIST images) on this CPU, by option.

    python benchmarks/train_step.py                 # every option, 60 steps each
    python benchmarks/train_step.py --steps 200

Options: TensorFlow with two threads in one process; two processes of one thread each,
side by side (each one's step time, and the pair's throughput); XLA (``jit_compile``);
``steps_per_execution`` 8 and 40 (an epoch of 10,000 images is 40 batches, so the batch
order is the published one). Each option is timed after a warm-up in a fresh process, so
thread settings take effect. Printed beside the floor of this CPU: Guo's CAE costs about
40 MFLOP per image per training step (forward and backward), about 10 GFLOP a batch,
against some 330 GFLOP/s for two AVX-512 cores at their peak.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time

FLOP_PER_IMAGE = 40e6
PEAK = 330e9

CHILD = r"""
import json, os, sys, time
import numpy as np
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import keras
import dimclust as dc
steps, spe, jit = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3] == "1"
X, _ = dc.datasets.load("fashion", n_samples=10240, random_state=0)
enc, dec = dc.autoencoder.build_cae("guo", X.shape[1:], 10, None, seed=0)
inp = keras.Input(X.shape[1:])
m = keras.Model(inp, dec(enc(inp)))
m.compile(optimizer=keras.optimizers.Adam(1e-3), loss="mse", steps_per_execution=spe,
          jit_compile=jit)
warm = max(spe, 8)
m.fit(X[:256 * warm], X[:256 * warm], batch_size=256, epochs=1, verbose=0, shuffle=False)
n = (steps // spe) * spe
t0 = time.perf_counter()
m.fit(X[:256 * n], X[:256 * n], batch_size=256, epochs=1, verbose=0, shuffle=False)
print(json.dumps({"seconds_per_step": (time.perf_counter() - t0) / n}))
"""


def _env(threads):
    v = str(threads)
    return {**os.environ, "OMP_NUM_THREADS": v, "TF_NUM_INTRAOP_THREADS": v,
            "TF_NUM_INTEROP_THREADS": "1", "TF_CPP_MIN_LOG_LEVEL": "2"}


def _start(steps, spe=1, jit=False, threads=2):
    return subprocess.Popen([sys.executable, "-c", CHILD, str(steps), str(spe),
                             "1" if jit else "0"], env=_env(threads),
                            stdout=subprocess.PIPE, text=True)


def _result(proc):
    out, _ = proc.communicate()
    if proc.returncode:
        return float("nan")
    return json.loads(out.strip().splitlines()[-1])["seconds_per_step"]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--steps", type=int, default=60)
    args = ap.parse_args(argv)
    floor = 256 * FLOP_PER_IMAGE / PEAK
    rows = []
    for label, kw in (("one process, 2 threads", {}),
                      ("one process, 2 threads, XLA jit_compile", {"jit": True}),
                      ("one process, 2 threads, steps_per_execution 8", {"spe": 8}),
                      ("one process, 2 threads, steps_per_execution 40", {"spe": 40})):
        t0 = time.perf_counter()
        s = _result(_start(args.steps, **kw))
        rows.append((label, s, s, time.perf_counter() - t0))
    pair = [_start(args.steps, threads=1) for _ in range(2)]
    times = [_result(p) for p in pair]
    rows.append(("two processes, 1 thread each", max(times), max(times) / 2, 0.0))
    print(f"Guo CAE, batch 256, {args.steps} steps; floor {floor * 1e3:.0f} ms a step "
          f"(40 MFLOP/image at {PEAK / 1e9:.0f} GFLOP/s)\n")
    print(f"{'option':<50}{'ms/step':>9}{'ms/step, throughput':>21}{'× floor':>9}")
    for label, s, thr, _ in rows:
        print(f"{label:<50}{s * 1e3:>9.0f}{thr * 1e3:>21.0f}{thr / floor:>9.1f}")
    print("\n'throughput' is wall time per step of work done: for two processes side by side, "
          "each one's step time halved.")


if __name__ == "__main__":
    main()
