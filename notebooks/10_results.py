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
# Everything on this page is read from the run records committed under `results/` — each with
# its parameters, seeds, hardware, package versions, git commit and date — and set beside the
# values the thesis published (labelled *thesis*). Nothing here is computed anew or typed in.
# Our values are the mean ± standard deviation over seeds at the thesis's scale (all 70,000
# images, or the sample the thesis drew); a cell reads "no record" where no such run exists
# yet. The neural rows at 70,000 images take hours each on two CPU cores; they come from a
# resumable campaign and land here as they finish ({doc}`../book/reproduce`).

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

import pandas as pd
from IPython.display import Markdown, display

import dimclust as dc

th = dc.thesis
results = Path("../results")
text = pd.DataFrame(th.thesis_text_values())

# %% [markdown]
# ## The three strategies at a glance
#
# For each data set, the best-scoring row of each of the thesis's strategies, by NMI, among the
# rows that cluster the whole set. This only reads the tables below — every row ran with
# settings fixed in advance. HDBSCAN on PCA-50 is left out: it leaves most images as noise and
# is scored on the rest (the thesis marks it with an asterisk); HDBSCAN on UMAP assigns nearly
# every image and stays, with its share given ({tabref}`at-a-glance`).

# %%
summary = th.summary(results)
th.show(summary, columns=th.SUMMARY_COLUMNS,
        label="at-a-glance",
        caption="The best row of each strategy by NMI, per data set, among the rows that "
                f"cluster the whole set; ours on {th.summary_scale(summary)}.")

# %% tags=["remove-input"]
dc.thesis.readings.strategies(summary)

# %% tags=["remove-input"]
noise = text.query("pipeline == 'pca50+hdbscan' and quantity == 'share of images left as noise'")
display(Markdown(
    f"For the record: the thesis's PCA-50 + HDBSCAN row on Fashion-MNIST is scored on the "
    f"{1 - noise['value'].iloc[0]:.1%} of images it assigned; it left {noise['printed'].iloc[0]} "
    f"as noise ({noise['where'].iloc[0]})."))

# %% [markdown]
# ## Table 12.1 — Fashion-MNIST, eight pipelines
#
# The thesis's values and ours side by side ({tabref}`table-12-1`). "assigned" is the share of images HDBSCAN put in
# a cluster (its scores are on those images). Silhouette is computed on the pixels, as in the
# thesis's code.

# %% tags=["remove-input"]
t12_1 = th.compare("12.1", records=results)
th.view(t12_1, metrics=["nmi", "acc"], label="table-12-1",
        caption="The thesis's table 12.1, Fashion-MNIST (NMI and ACC): its values and ours "
                "(mean ± sd over seeds). \"assigned\" is the share of images HDBSCAN put in a "
                "cluster.")

# %% tags=["remove-input"]
th.view(t12_1, metrics=["ari", "silhouette_pixels"],
        caption="The thesis's table 12.1, continued: ARI, and the silhouette computed on the pixels as in "
                "the thesis's code.")

# %% tags=["remove-input"] mystnb={"figure": {"caption": "Table 12.1 drawn: NMI of each row, ours per seed (grey) and mean \u00b1 sd (black), the thesis's value (red).", "name": "fig-table-12-1"}}
fig = th.chart("12.1", results)

# %% tags=["remove-input"]
dc.thesis.readings.ranking(t12_1)

# %% [markdown]
# ## Table 12.2 — NMI on the three data sets
#
# {tabref}`table-12-2`. CIFAR-10 cannot be downloaded where this book is built, so its cells
# have no record. The
# thesis's MNIST CAE cell gives two values: the range over the autoencoders it tried.

# %% tags=["remove-input"]
t12_2 = th.compare("12.2", records=results)
th.view(t12_2, label="table-12-2", caption="The thesis's table 12.2: NMI on the three data sets, its values and ours.")

# %% tags=["remove-input"] mystnb={"figure": {"caption": "Table 12.2 drawn for Fashion-MNIST and MNIST: ours per seed and mean \u00b1 sd, the thesis's value in red.", "name": "fig-table-12-2"}}
fig = th.chart("12.2", results, datasets=["fashion", "mnist"])

# %% tags=["remove-input"]
dc.thesis.readings.ranking(t12_2)

# %% [markdown]
# ## Table 13.1 — deep clustering
#
# The rows with a neural network at 70,000 images come from the campaign; a row without a
# record is still to run.

# %% tags=["remove-input"]
t13_1 = th.compare("13.1", records=results)
th.view(t13_1, metrics=["nmi", "acc"], label="table-13-1",
        caption="The thesis's table 13.1, deep clustering (NMI and ACC): its values and ours.")

# %% tags=["remove-input"]
th.view(t13_1, metrics=["ari"], caption="The thesis's table 13.1, continued: ARI.")

# %% tags=["remove-input"] mystnb={"figure": {"caption": "Table 13.1 drawn: NMI of each row, ours per seed and mean \u00b1 sd, the thesis's value in red.", "name": "fig-table-13-1"}}
fig = th.chart("13.1", results)

# %% tags=["remove-input"]
dc.thesis.readings.ranking(t13_1)

# %% [markdown]
# ## How each row is run
#
# Where the thesis's prose and its code (the appendix) disagree, the code produced the
# published numbers, so our rows follow the code.

# %%
th.show(pd.DataFrame(th.thesis_protocol()), label="protocol",
        caption="How each of the thesis's rows is run here, and where its code says so.")

# %% [markdown]
# The thesis's own values outside its tables (noise shares, clusters found, AMI):

# %%
th.show(text[["dataset", "pipeline", "quantity", "printed", "where"]],
        caption="The thesis's values printed outside its tables, and where.")

# %% [markdown]
# ## DCEC variants on record
#
# Runs of DCEC on MNIST's 10,000 test images, on two CPU cores, that differ in their settings:
# how long the autoencoder is pretrained (pretrain epochs), how many clustering iterations
# follow (maxiter; 0 is k-means on the pretrained code, DCEC's starting point), where the
# clustering starts (init: k-means, or N2D's UMAP → GMM) and γ. The settings that differ
# between the records are the first columns of {tabref}`dcec-variants`. The other variants — among them the
# Student-t degrees of freedom α = 3 that §13.1.2 (e) suggests for a 10-dimensional code — are
# run in {doc}`08_dcec`.

# %%
variants = th.record_variants(results, "mnist-test", "dcec", metrics=("nmi", "acc"))
th.show(variants.drop(columns="images"), label="dcec-variants",
        caption=f"DCEC variants on record, MNIST's {variants['images'].max():,} test images: "
                "the settings that differ, then NMI and ACC (mean ± sd over seeds).")

# %% [markdown]
# ## Every record
#
# All records found under `results/`, including runs at other scales and our own variants.

# %%
th.show(dc.experiments.load_records(results), columns=["data set", "n", "row", "seeds", "nmi", "acc",
                                          "assigned", "seconds/seed"],
        caption="Every record under results/: data set, images, pipeline, seeds, scores and "
                "seconds per seed on the hardware it names.")

# %% [markdown]
# ## Takeaways
#
# - Each of our cells is a mean over seeds with its standard deviation, the number of seeds and
#   of images: read a difference against that spread before reading it as a result.
# - Rows with HDBSCAN are scored on the images it assigns; their share assigned belongs to the
#   score.
# - A cell without a record is work still to run — mostly the neural rows at 70,000 images,
#   which the campaign runs a seed at a time.
#
# ## Exercises
#
# 1. Make a record: `python -m dimclust run --dataset mnist --pipeline umap2+kmeans --seeds 3
#    --n-samples 10000 --out results/mine`, then point this page at `results/mine`. Expect a row
#    in the "Every record" table, not in the thesis's tables (which need all 70,000 images).
# 2. Run one row at the thesis's scale (the command is on the {doc}`../book/reproduce` page) and
#    re-run this page: the cell's "no record" becomes ours.
# 3. Open a record's `.csv` and compute the mean and sample standard deviation of its NMI column
#    yourself. Expect the values in the table.
