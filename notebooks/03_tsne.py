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
# # t-SNE
#
# *Theory: {doc}`../book/tsne_umap`.*
#
# t-SNE (theory: {doc}`../book/tsne_umap`) places images so that their neighbourhoods match those
# in pixel space. The maps here use openTSNE's FFT-accelerated implementation with PCA
# initialisation (thesis §11.1, fig. 11.3): it minimises the same cost as the scikit-learn t-SNE
# the thesis ran, much faster, but it is another optimiser — its learning rate is on a scale four
# times scikit-learn's, and it starts from PCA rather than at random. The t-SNE rows of the
# thesis's tables 12.1 and 12.2 ({doc}`10_results`) are therefore run with scikit-learn's t-SNE
# at the thesis's settings (perplexity 25, learning rate 10, 1,000 iterations, random start, on
# 10,000 images: `dc.reduce.make_sklearn_tsne`).

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
records = None       # folder for the run records of every experiment; None: none written

# %% tags=["remove-cell"]
import dimclust as dc

cfg = dc.experiments.settings(scale, n_samples=n_samples, records=records)
cfg
# %% mystnb={"figure": {"caption": "t-SNE of the images, coloured by class (the thesis's fig. 11.3).", "name": "fig-tsne"}}
X, y = dc.datasets.load(dataset, n_samples=cfg["n_samples"], random_state=0, flatten=True)
names = dc.datasets.class_names(dataset)
tsne = dc.TSNE(perplexity=30, n_jobs=-1, random_state=0).fit(X)
print(f"t-SNE of {len(X)} images, final KL divergence {tsne.kl_divergence_:.3f}")
fig = dc.plot.embedding(tsne.embedding_, y, class_names=names, title=f"t-SNE of {dataset}")

# %% tags=["remove-input"]
dc.thesis.readings.class_separation(tsne.embedding_, y, names)

# %% [markdown]
# ## Explore it
#
# Hover over a point to see its image and class; click a class in the legend to hide it. A sample of
# 1,000 points is drawn; the page carries everything it needs, so this works offline too.

# %%
dc.explore(tsne.embedding_, X, y, class_names=names, title=f"t-SNE of {dataset}")

# %% [markdown]
# ## The effect of perplexity
#
# Perplexity is the effective number of neighbours each point attends to. Small values split the
# data into many small clumps; large values show more of the coarse layout.

# %% mystnb={"figure": {"caption": "t-SNE of the same 2,000 images at three perplexities.", "name": "fig-tsne-perplexity"}}
Xs, ys = X[:2000], y[:2000]
panels = {f"perplexity {p}": dc.TSNE(perplexity=p, n_jobs=-1, random_state=0).fit_transform(Xs)
          for p in (5, 30, 100)}
fig = dc.plot.embeddings(panels, ys, class_names=names)

# %% [markdown]
# ## MNIST beside Fashion-MNIST (thesis figs. 11.3 and 11.14)
#
# The same method on both data sets, each coloured by its own classes.

# %% mystnb={"figure": {"caption": "t-SNE of Fashion-MNIST and of MNIST (test images), same sample size and settings.", "name": "fig-tsne-both"}}
both = {}
for name in ("fashion", "mnist-test"):
    if dc.datasets.available(name):
        Xn, yn = dc.datasets.load(name, n_samples=cfg["n_samples"], random_state=0, flatten=True)
        both[f"t-SNE of {name}"] = (dc.TSNE(n_jobs=-1, random_state=0).fit_transform(Xn), yn,
                                    dc.datasets.class_names(name))
fig = dc.plot.embeddings(both, ncols=2, figsize=(12, 5))

# %% [markdown]
# ## Local against global structure (§11.4)
#
# t-SNE is built to keep neighbourhoods; nothing in its cost asks it to keep the distances between
# far-apart groups. The two measures of the PCA chapter, on both maps:

# %%
Zp = dc.PCA(2, random_state=0).fit_transform(X)
kept = dc.quality.structure_kept(X, {"PCA": Zp, "t-SNE": tsne.embedding_}, y)
dc.thesis.show(kept, index="measure",
                    caption=f"Local and global structure kept by each map, {len(X):,} images.")

# %% tags=["remove-input"]
dc.thesis.readings.structure(kept)

# %% [markdown]
# ## Takeaways
#
# - t-SNE matches neighbourhood probabilities in the data and in the map; it keeps local
#   structure far better than PCA.
# - Perplexity sets the size of a neighbourhood; the layout changes with it, and the sizes of and
#   distances between t-SNE's clusters carry little meaning.
# - The thesis runs t-SNE on 10,000 sampled images with perplexity 25 and learning rate 10 before
#   k-means; openTSNE's FFT method makes all 70,000 feasible on a CPU.
#
# ## Exercises
#
# 1. Re-run with `-p dataset mnist-test`. Expect the ten digits as separate islands, with 4, 7
#    and 9 close together.
# 2. Change the perplexities in the second figure to `(2, 50, 500)`. Expect fragmented clusters
#    at 2 and a rounder, more global picture at 500.
# 3. Use `dc.TSNE(perplexity=25, learning_rate=10)` (the thesis's settings) and compare the map
#    and its final KL divergence with the default. Expect a higher KL divergence: a learning rate
#    of 10 is small for thousands of points.
