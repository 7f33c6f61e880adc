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
# # PCA on the images
#
# *Theory: {doc}`../book/pca`.*
#
# PCA (theory: {doc}`../book/pca`) projects the images onto the directions of largest variance.
# This chapter draws the 2-D projections of Fashion-MNIST and MNIST (thesis §11.1.1) and measures
# how much variance a few components keep.

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
# %%
X, y = dc.datasets.load(dataset, n_samples=cfg["n_samples"], random_state=0, flatten=True)
pca = dc.PCA(50, random_state=0).fit(X)
thesis = dc.thesis.thesis_text_value
print(f"{len(X)} images of {dataset}; 2 components keep {pca.explained_variance_ratio_[:2].sum():.1%} "
      f"of the variance, 50 keep {pca.explained_variance_ratio_.sum():.1%}. The thesis, on all "
      f"70,000 Fashion-MNIST images: "
      f"{thesis('fashion', 'pca2', 'variance kept by the first component') + thesis('fashion', 'pca2', 'variance kept by the second component'):.1%}"
      f" for 2 (appendix output), roughly "
      f"{thesis('fashion', 'pca50', 'variance kept by 50 components'):.0%} for 50 (§12.1.2).")

# %% [markdown]
# ## Explained variance

# %% mystnb={"figure": {"caption": "Cumulative share of the variance kept by the first principal components.", "name": "fig-pca-variance"}}
fig = dc.plot.explained_variance(pca)

# %% [markdown]
# ## Two components
#
# A linear projection cannot unfold the curved set the images lie on: some classes stand apart
# on the first two components, most overlap. Which ones is computed under the figure.

# %% mystnb={"figure": {"caption": "The first two principal components of Fashion-MNIST and MNIST, coloured by class (the thesis's figs. 11.1 and 11.13).", "name": "fig-pca-2d"}}
views = {}
for name in ("fashion", "mnist-test"):
    if dc.datasets.available(name):
        Xn, yn = dc.datasets.load(name, n_samples=cfg["n_samples"], random_state=0, flatten=True)
        views[name] = (dc.PCA(2, random_state=0).fit_transform(Xn), yn)
fig = dc.plot.embeddings({f"PCA of {name}": (Z, yn, dc.datasets.class_names(name))
                         for name, (Z, yn) in views.items()}, ncols=2, figsize=(12, 5))

# %% tags=["remove-input"]
dc.thesis.readings.class_separation(pca.transform(X)[:, :2], y, dc.datasets.class_names(dataset))

# %% [markdown]
# ## Explore it
#
# Hover over a point to see its image and class; click a class in the legend to hide it. A sample of
# 1,000 points is drawn; the page carries everything it needs, so this works offline too.

# %%
dc.explore(pca.transform(X)[:, :2], X, y, class_names=dc.datasets.class_names(dataset),
           title=f"PCA of {dataset}, first two components")

# %% [markdown]
# ## What two components keep
#
# *Local* structure: the share of each image's 10 nearest neighbours that stay among its 10 nearest
# after the projection. *Global* structure: the rank correlation between the distances of the class
# centroids before and after (1: the classes keep their relative distances). The next chapters
# measure t-SNE and UMAP the same way.

# %%
kept = dc.quality.structure_kept(X, {f"PCA 2-D, {dataset}": pca.transform(X)[:, :2]}, y).iloc[:, 0]
dc.thesis.show(kept.to_frame(), index="measure",
                    caption=f"What two principal components keep of the {len(X):,} images' structure.")

# %% tags=["remove-input"]
from IPython.display import Markdown

Markdown(f"Two components keep {kept[dc.quality.KNN_KEPT]:.0%} of each image's ten nearest neighbours, "
         f"and the class centroids' distances correlate at {kept.iloc[1]:.2f} with those on the "
         "pixels.")

# %% [markdown]
# ## Takeaways
#
# - PCA is linear: it finds the directions of largest variance and projects on them.
# - Two components keep only a part of the variance (printed above); fifty keep most of it (the
#   thesis: roughly 85 % on Fashion-MNIST) and make a good input to slower methods such as
#   HDBSCAN.
# - PCA keeps the global layout of the classes but mixes neighbourhoods: 2-D PCA is a poor map
#   for clustering.
#
# ## Exercises
#
# 1. Re-run on MNIST (`-p dataset mnist-test`). Expect a lower share of variance in two
#    components than for Fashion-MNIST: digits vary in more independent ways.
# 2. In the explained-variance cell, find how many components keep 90 % of the variance
#    (`np.searchsorted(np.cumsum(pca.explained_variance_ratio_), 0.9)`, after fitting with more
#    components). Expect a few dozen, not hundreds.
# 3. Cluster `pca.transform(X)[:, :2]` with `dc.cluster.make_kmeans(10)` and score it with
#    `dc.evaluate`. Expect an NMI well below that of k-means on the pixels.
