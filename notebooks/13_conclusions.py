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
# # Conclusions
#
# The thesis closes with conclusions on its three strategies. Each is set here beside what our records at the
# thesis's scale say of it, through the claims of {doc}`11_claims` that test it: means over
# seeds, read against margins fixed in advance. A conclusion whose claims wait for runs (DCEC at
# 70,000 images) says so; it is neither confirmed nor refuted by a smaller experiment.

# %% tags=["remove-cell"]
import sys

if "google.colab" in sys.modules:
    import subprocess
    subprocess.run([sys.executable, "-m", "pip", "install", "-q",
                    "dimclust @ git+https://github.com/dimclust/dimclust@main"], check=True)
# %% tags=["parameters", "remove-cell"]
scale = "quick"      # unused here: this page only reads records

# %% tags=["remove-cell"]
from pathlib import Path

import dimclust as dc

th = dc.thesis
results = Path("../results")
claims = th.check_claims(results)

# %% [markdown]
# ## The thesis's conclusions and our verdicts

# %% tags=["remove-input"]
th.show(th.conclusions(results, checked=claims),
        caption="The thesis's conclusions (in our words), the claims that test each, and the "
                "verdict of our records on each data set.")

# %% [markdown]
# ## The best of each strategy
#
# The same question asked of the tables directly: for each data set, the best row of each of
# the thesis's three strategies, theirs and ours.

# %% tags=["remove-input"]
summary = th.summary(results)
th.show(summary, columns=th.SUMMARY_COLUMNS,
        caption="The best row of each strategy by NMI, the thesis's and ours, among the rows "
                f"that cluster the whole set; ours on {th.summary_scale(summary)}.")

# %% tags=["remove-input"]
dc.thesis.readings.strategies(summary)

# %% [markdown]
# ## Beyond the thesis
#
# {doc}`12_beyond` asks whether N2D's stages, or a network taught to ignore the small changes
# that keep an image's class, chosen among by a rule that reads no label, reach past the thesis's
# DCEC. On the records committed so far:

# %% tags=["remove-input"]
by_dataset = {ds: th.beyond.find_candidates(results, ds) for ds in ("mnist-test", "mnist", "fashion")}
dc.thesis.readings.choice(by_dataset)

# %% [markdown]
# ## What remains open
#
# - DCEC and the thesis's own CAE at 70,000 images: the runs of the campaign on the
#   {doc}`../book/reproduce` page. Until their records land, the conclusion on deep clustering
#   is the thesis's alone.
# - The thesis drew each number from one run; {doc}`10_results` draws its values beside the
#   spread of our seeds, against which each of its differences is to be read.
