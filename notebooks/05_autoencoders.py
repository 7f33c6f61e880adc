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
# # Convolutional autoencoders
#
# *Theory: {doc}`../book/autoencoders`.*
#
# An autoencoder (theory: {doc}`../book/autoencoders`) learns to squeeze each image through a
# bottleneck of a few numbers and to rebuild it. We train the two architectures the thesis
# clusters with (§6.5, §11.1.2): Guo et al.'s CAE (`"guo"`), the one inside DCEC, and the
# thesis's own 20,553-parameter CAE with a 1×1×10 code (`"thesis"`). The 2-D and 128-D pictures
# further down use the Keras blog's small CAE (`"keras_blog"`), as the thesis did.
# Training holds out 10 % of the images to watch the validation loss, and stops early when it no
# longer falls.

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
scale = "quick"      # "quick" (minutes on a CPU) or "full" (the thesis's sizes, for a GPU)

# %% tags=["remove-cell"]
import dimclust as dc

cfg = dc.experiments.settings(scale, n_samples=n_samples, epochs=epochs)
cfg
# %% [markdown]
# ## The networks, layer by layer
#
# The thesis draws its CAE (figs. 11.5–11.6) and Guo et al.'s (fig. 11.12) as diagrams; here
# they are as tables, built from the same code that trains them. The thesis's has no dense
# layer: five convolutions and max-pools shrink the image to a 1×1×10 code.

# %%
from IPython.display import display

for arch in ("thesis", "guo"):
    table = dc.architectures.layer_table(arch)
    print(f"{arch} CAE: {table['parameters'].sum():,} parameters")
    display(dc.thesis.show(table, caption=f"The {arch} CAE, layer by layer: output shape and parameters."))

# %%
X, y = dc.datasets.load(dataset, n_samples=cfg["n_samples"], random_state=0)
names = dc.datasets.class_names(dataset)
caes = {arch: dc.ConvAutoencoder(arch, embedding_dim=10, epochs=cfg["epochs"], random_state=0,
                                 verbose=0).fit(X)
        for arch in ("guo", "thesis")}
for arch, cae in caes.items():
    print(f"{arch}: {cae.autoencoder_.count_params():,} parameters, {cae.n_epochs_} epochs, "
          f"final validation loss {cae.history_['val_loss'][-1]:.4f} ({cae.loss_})")

# %% [markdown]
# ## Training curves (thesis fig. 11.7)

# %% mystnb={"figure": {"caption": "Training and validation loss of Guo et al.'s CAE (mean squared error).", "name": "fig-loss-guo"}}
fig = dc.plot.loss_curves(caes["guo"].history_, title=f"Guo et al.'s CAE on {dataset}")

# %% mystnb={"figure": {"caption": "Training and validation loss of the thesis's CAE (binary cross-entropy; the thesis's fig. 11.7).", "name": "fig-loss-thesis"}}
fig = dc.plot.loss_curves(caes["thesis"].history_, title=f"the thesis's CAE on {dataset}")

# %% [markdown]
# ## Reconstructions (fig. 11.8)
#
# Top: originals; bottom: what the decoder makes of their 10 numbers.

# %% mystnb={"figure": {"caption": "Twelve images (top) and their reconstructions by Guo et al.'s CAE (bottom).", "name": "fig-recon-guo"}}
fig = dc.plot.reconstructions(X[:12], caes["guo"].reconstruct(X[:12]), n=12)

# %% mystnb={"figure": {"caption": "The same images reconstructed by the thesis's CAE from its 1\u00d71\u00d710 code (the thesis's fig. 11.8).", "name": "fig-recon-thesis"}}
fig = dc.plot.reconstructions(X[:12], caes["thesis"].reconstruct(X[:12]), n=12)

# %% [markdown]
# ## A 2-D bottleneck
#
# With only two numbers per image the autoencoder is itself a 2-D visualisation.

# %% mystnb={"figure": {"caption": "The Keras-blog autoencoder with a 2-D code, coloured by class (the thesis's fig. 11.9 draws Fashion-MNIST so, its fig. 11.17 MNIST).", "name": "fig-cae2"}}
cae2 = dc.ConvAutoencoder("keras_blog", embedding_dim=2, epochs=cfg["epochs"], random_state=0,
                          verbose=0).fit(X)
fig = dc.plot.embedding(cae2.transform(X), y, class_names=names,
                        title="Keras-blog CAE with a 2-D bottleneck")

# %% tags=["remove-input"]
dc.thesis.readings.class_separation(cae2.transform(X), y, names)

# %% [markdown]
# ## Explore it
#
# Hover over a point to see its image and class; click a class in the legend to hide it. A sample of
# 1,000 points is drawn; the page carries everything it needs, so this works offline too.

# %%
dc.explore(cae2.transform(X), X, y, class_names=names,
           title="Keras-blog CAE, 2-D bottleneck")

# %% [markdown]
# ## A 128-D autoencoder followed by UMAP (fig. 11.10)
#
# A wide bottleneck reconstructs better; UMAP then draws it in two dimensions.

# %% mystnb={"figure": {"caption": "UMAP of the Keras-blog autoencoder's 128-D code (the thesis's fig. 11.10).", "name": "fig-cae128-umap"}}
cae128 = dc.ConvAutoencoder("keras_blog", embedding_dim=128, epochs=cfg["epochs"], random_state=0,
                            verbose=0).fit(X)
Z = dc.reduce.make_umap(2, random_state=0).fit_transform(cae128.transform(X))
fig = dc.plot.embedding(Z, y, class_names=names, title="Keras-blog CAE (128-D) → UMAP")

# %% [markdown]
# ## MNIST beside Fashion-MNIST (thesis figs. 11.11 and 12.5)
#
# Guo et al.'s CAE trained on each data set alone, its 10-D code drawn in two dimensions by UMAP.

# %% mystnb={"figure": {"caption": "UMAP of the 10-D code of Guo et al.'s CAE, trained on Fashion-MNIST and on MNIST (test images).", "name": "fig-cae-both"}}
both = {}
for name in ("fashion", "mnist-test"):
    if dc.datasets.available(name):
        Xn, yn = dc.datasets.load(name, n_samples=cfg["n_samples"], random_state=0)
        code = dc.ConvAutoencoder("guo", embedding_dim=10, epochs=cfg["epochs"], random_state=0,
                                  verbose=0, memory=dc.experiments.result_store()).fit(Xn).transform(Xn)
        both[f"Guo CAE → UMAP, {name}"] = (dc.reduce.make_umap(2, random_state=0).fit_transform(code),
                                           yn, dc.datasets.class_names(name))
fig = dc.plot.embeddings(both, ncols=2, figsize=(12, 5))

# %% [markdown]
# ## k-means on the 10-D embeddings (one seed)
#
# A first look; chapter {doc}`06_kmeans` repeats this over several seeds.

# %%
import pandas as pd

codes = pd.DataFrame({arch: dc.evaluate(y, dc.cluster.make_kmeans(10, random_state=0).fit_predict(cae.transform(X)))
                      for arch, cae in caes.items()}).T[["nmi", "ari", "acc"]].astype(float)
dc.thesis.show(codes, index="autoencoder",
                    caption=f"k-means on each 10-D code, {len(X):,} images, seed 0 (a first look).")

# %% tags=["remove-input"]
from IPython.display import Markdown

published = dc.thesis.thesis_value("12.1", "fashion", "tcae10+kmeans", "nmi")
Markdown(f"k-means on the code of the thesis's CAE reaches NMI {codes.loc['thesis', 'nmi']:.3f} "
         f"here, on Guo et al.'s {codes.loc['guo', 'nmi']:.3f}. The thesis's table 12.1 gives "
         f"{published} for its CAE on Fashion-MNIST, trained on the 60,000 training images and "
         f"scored on the 10,000 test images; the Results chapter has ours with that protocol.")

# %% [markdown]
# ## Takeaways
#
# - An autoencoder learns a code from which it can rebuild its input; its encoder is a
#   non-linear reduction trained without labels.
# - Three networks appear in this book: Guo et al.'s CAE (DCEC's), the thesis's own 20,553-parameter
#   CAE with a 1×1×10 code, and the Keras blog's with a dense code (for the 2-D and 128-D views).
# - A low reconstruction loss does not guarantee a code that k-means can split into classes: the
#   thesis found its CAE disappointing as a reducer for k-means.
#
# ## Exercises
#
# 1. Re-run with more epochs: `-p epochs 50`. Expect a lower validation loss and, usually, a
#    small gain in NMI.
# 2. Train the thesis's CAE on the training split and cluster the test split, as the thesis did:
#    `python -m dimclust run --dataset fashion --pipeline tcae10+kmeans --protocol train-test --seeds 1 --n-samples 3000`.
# 3. Replace k-means on the 10-D code by UMAP then k-means (`cae10+umap2+kmeans`). Expect a clear
#    gain: UMAP untangles the code before k-means sees it.
