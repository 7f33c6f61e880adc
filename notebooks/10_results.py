# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     notebook_metadata_filter: kernelspec,jupytext
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Results
#
# This page gathers the run records committed to the repository under `results/` — each with its
# date, hardware, package versions and the mean ± sd over seeds — and lays them beside the
# thesis's published values. Records are written by
# `python -m dimclust run ... --out results/<folder>` and by the full-scale GPU command in the
# README; nothing here is typed in by hand.

# %% [markdown]
# *Running this in Colab? The next cell installs `dimclust`; elsewhere it does nothing.*

# %%
import sys

if "google.colab" in sys.modules:
    import subprocess
    subprocess.run([sys.executable, "-m", "pip", "install", "-q",
                    "dimclust @ git+https://github.com/dimclust/dimclust@main"], check=True)
# %% tags=["parameters"]
dataset = "fashion"  # mnist, mnist-test, fashion, cifar10 or digits
n_samples = None     # images to use; None: the scale's default (all at "full")
epochs = None        # autoencoder epochs; None: the scale's default
seeds = None         # seeds to average over; None: the scale's default
scale = "quick"      # "quick" (minutes on a CPU) or "full" (the thesis's sizes, for a GPU)

# %%
import dimclust as dc

cfg = dc.experiments.settings(scale, n_samples=n_samples, epochs=epochs, seeds=seeds)
cfg
# %%
from pathlib import Path

from IPython.display import display

results_dir = Path("../results")
records = dc.experiments.load_records(results_dir) if results_dir.is_dir() else None
if records is None or records.empty:
    print("No run records found next to this notebook (they live in the repository's results/).")
else:
    display(records)

# %% [markdown]
# ## The thesis's values
#
# The published numbers, as printed in the thesis and stored in `dimclust/data/thesis.json`
# (a test checks each against the thesis's text). A "—" is a cell the thesis left empty.

# %%
for table in ("12.1", "12.2", "13.1"):
    t = dc.experiments.thesis_table(table)
    print(t["title"])
    display(dc.experiments.compare(table, run_missing=False).filter(regex="data set|pipeline|thesis"))

# %% [markdown]
# ## How each row is run
#
# Where the thesis's prose and its code (the appendix) disagree, the code produced the published
# numbers, so our rows follow the code. The thesis's own values outside the tables (noise shares,
# clusters found, AMI) follow.

# %%
import pandas as pd

display(pd.DataFrame(dc.experiments.thesis_protocol()).set_index("parameter"))
display(pd.DataFrame(dc.experiments.thesis_text_values()))
