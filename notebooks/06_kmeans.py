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
# # k-means on pixels and on reduced data
#
# *Theory: {doc}`../book/clustering`, {doc}`../book/evaluation`.*
#
# k-means (theory: {doc}`../book/clustering`) on raw pixels is the thesis's baseline; the two-stage
# pipelines reduce first (chapter 12). Every score below is a mean ± standard deviation over
# `seeds` runs; the thesis's published value stands beside ours.

# %% [markdown] tags=["remove-cell"]
# *Running this in Colab? The next cell installs `dimclust`; elsewhere it does nothing.*

# %% tags=["remove-cell"]
import sys

if "google.colab" in sys.modules:
    import subprocess
    subprocess.run([sys.executable, "-m", "pip", "install", "-q",
                    "dimclust @ git+https://github.com/dimclust/dimclust@main"], check=True)
# %% tags=["parameters", "remove-cell"]
dataset = "fashion"  # mnist, mnist-test, fashion, cifar10 or digits
n_samples = None     # images to use; None: the scale's default (all at "full")
epochs = None        # autoencoder epochs; None: the scale's default
seeds = None         # seeds to average over; None: the scale's default
scale = "quick"      # "quick" (minutes on a CPU) or "full" (the thesis's sizes, for a GPU)
records = None       # folder for the run records of every experiment; None: none written

# %% tags=["remove-cell"]
import dimclust as dc

cfg = dc.experiments.settings(scale, n_samples=n_samples, epochs=epochs, seeds=seeds, records=records)
cfg
# %%
X, y = dc.datasets.load(dataset, n_samples=cfg["n_samples"], random_state=0)
km = dc.cluster.make_kmeans(10, random_state=0).fit(X.reshape(len(X), -1))
dc.thesis.show(dc.thesis.score_table(y, {"k-means on the pixels": km.labels_}),
                    caption=f"k-means on the pixels, {len(X):,} images, seed 0.")

# %% [markdown]
# ## The k-means centres are images (thesis fig. 12.1)
#
# Each centre is the mean of its cluster's images. Titles name the class most of its images belong to.

# %% mystnb={"figure": {"caption": "The ten k-means centres on the pixels, drawn as images, each titled with the class most of its images belong to (the thesis's fig. 12.1).", "name": "fig-kmeans-centres"}}
names = dc.datasets.class_names(dataset)
majority = dc.metrics.majority_class(y, km.labels_)
fig = dc.plot.centers_as_images(km.cluster_centers_, X.shape[1:],
                                titles=[f"mostly {names[majority[j]]}" for j in range(10)])

# %% [markdown]
# ## The k-means rows of table 12.1
#
# The thesis's table is for all 70,000 Fashion-MNIST images. At `scale="quick"` we use a random
# subset (`n_samples`) and fewer autoencoder epochs, so expect ours to differ: the point of the
# quick scale is that the chapter runs anywhere; `scale="full"` reproduces the thesis's setting.
# Beside this chapter's own runs stand our records at the thesis's scale, where they exist.

# %%
rows = ["kmeans", "tsne2+kmeans", "umap2+kmeans", "umap30+kmeans", "tcae10+kmeans"]
table = dc.thesis.compare("12.1", cfg, rows=rows)
full = dc.thesis.compare("12.1", rows=rows, records="../results")
dc.thesis.view(table, full=full, metrics=["nmi"],
                    caption="The k-means rows of the thesis's table 12.1 (Fashion-MNIST).")

# %% tags=["remove-input"]
dc.thesis.readings.ranking(table)

# %% [markdown]
# ## Takeaways
#
# - k-means minimises the within-cluster sum of squares; it assumes compact, roughly spherical
#   clusters of similar size and needs the number of clusters.
# - On raw pixels it mixes similar classes (the centres above); the sentence under the table says
#   which reductions lift the scores at this scale, and {doc}`11_claims` checks the thesis's
#   claim at its scale.
# - One run is one draw: the tables here give the mean ± sd over seeds, the spread against which
#   a single published value can be read.
#
# ## Exercises
#
# 1. Run with five seeds: `-p seeds 5`. Expect the standard deviations to settle, not vanish.
# 2. Set `n_init=1` for k-means (`params={"kmeans": {"n_init": 1}}` in a `compare_pipelines`
#    call). Expect a larger spread over seeds on the pixels.
# 3. Cluster with 12 clusters instead of 10 (`ClusteringPipeline("umap2+kmeans", n_clusters=12)`).
#    Expect NMI to hold or rise while ACC falls: ACC punishes a class split in two.
