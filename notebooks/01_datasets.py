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
# # The data sets
#
# *Theory: {doc}`../book/concepts`.*
#
# The thesis clusters three image collections (§10.1). Each image is a grid of numbers — pixel
# intensities — so each data set is a matrix with one row per image and one column per pixel.
#
# :::{table} The three data sets of the thesis.
# :name: tab-thesis-data
#
# | name | images | size | classes |
# | --- | --- | --- | --- |
# | MNIST | 70,000 | 28×28 grey | the digits 0–9 |
# | Fashion-MNIST | 70,000 | 28×28 grey | 10 kinds of clothing |
# | CIFAR-10 | 60,000 | 32×32 colour | 10 kinds of objects and animals |
# :::
#
# This chapter shows what they look like, and why their dimension is a problem for clustering.

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
scale = "quick"      # "quick" (minutes on a CPU) or "full" (the thesis's sizes, for a GPU)

# %% tags=["remove-cell"]
import dimclust as dc

cfg = dc.experiments.settings(scale, n_samples=n_samples)
cfg

# %% [markdown]
# ## Which data sets can be loaded here
#
# `dimclust.datasets` looks for the files on disk first and downloads them through
# `keras.datasets` only when they are not there. Offline, a missing data set is reported, never
# replaced by made-up data.

# %%
import pandas as pd

pd.Series({name: dc.datasets.available(name) for name in dc.datasets.DATASETS}, name="available")

# %%
X, y = dc.datasets.load(dataset)
names = dc.datasets.class_names(dataset)
print(f"{dataset}: X {X.shape} {X.dtype} in [{X.min()}, {X.max()}], y {y.shape}")
dc.thesis.show(pd.Series(y).value_counts().sort_index().rename(index=dict(enumerate(names)))
                    .to_frame("images"), index="class",
                    caption=f"Images of each class among the {len(y):,} loaded.")

# %% [markdown]
# ## A sample of each class (thesis fig. 10.2)

# %% mystnb={"figure": {"caption": "Ten images of each class (the thesis's figs. 10.1\u201310.2 show the same data sets).", "name": "fig-samples"}}
fig = dc.plot.sample_grid(X, y, class_names=names, per_class=10)

# %% [markdown]
# ## An image is a vector
#
# Every pixel is one coordinate; a 28×28 image is a point in 784-dimensional space.

# %% mystnb={"figure": {"caption": "One image as the grid of numbers an algorithm sees: each pixel is one coordinate.", "name": "fig-pixels"}}
fig = dc.plot.pixel_values(X[0], title=f"a {names[y[0]]}: {X[0].size} numbers")

# %% [markdown]
# ## Distances concentrate in many dimensions
#
# The *relative contrast* $(D_{\max} - D_{\min}) / D_{\min}$ of a point's distances to the others
# ({ref}`curse-of-dimensionality`) falls towards zero for structureless data as the dimension grows:
# the nearest neighbour is hardly nearer than the farthest. Real images keep far more contrast than
# uniform noise of the same dimension, because they lie near a low-dimensional manifold — the
# structure that dimensionality reduction tries to find.

# %%
import numpy as np

rng = np.random.default_rng(0)
Xs, _ = dc.datasets.load(dataset, n_samples=min(cfg["n_samples"] or 3000, 3000), random_state=0, flatten=True)
contrast = {f"uniform noise, {d} dimensions": dc.quality.relative_contrast(rng.random((len(Xs), d)))
            for d in (2, 10, 100, Xs.shape[1])}
contrast[f"{dataset} images, {Xs.shape[1]} pixels"] = dc.quality.relative_contrast(Xs)
contrast[f"{dataset} images, 10 principal components"] = dc.quality.relative_contrast(
    dc.PCA(10, random_state=0).fit_transform(Xs))
dc.thesis.show(pd.Series(contrast, name="relative contrast").to_frame(), index="points",
                    caption="Relative contrast of each point's distances to the others: noise "
                            "of growing dimension, then the images.")

# %% [markdown]
# ## Takeaways
#
# - An image is a point in a space with one axis per pixel: 784 axes for MNIST and Fashion-MNIST,
#   3,072 for CIFAR-10.
# - In so many dimensions distances concentrate: the nearest and the farthest neighbour of a point
#   are nearly as far away, which is what makes clustering raw pixels hard (the relative-contrast
#   table above).
# - Real images are not uniform noise: their pixels are strongly correlated, so far fewer numbers
#   describe them — the reason dimensionality reduction helps.
#
# ## Exercises
#
# 1. Re-run the chapter on MNIST: `papermill notebooks/01_datasets.ipynb out.ipynb -p dataset mnist`.
#    Expect the same shape of the contrast table, with the digits' contrast above the noise's.
# 2. Change the `(2, 10, 100, ...)` dimensions of the noise in the last cell to include 1,000 and
#    10,000. Expect the relative contrast to keep falling towards 0.
# 3. Compute the relative contrast of CIFAR-10 (`-p dataset cifar10`, online). Expect it between
#    that of uniform noise and that of the digits.
