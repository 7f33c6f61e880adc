"""DCEC's clustering: its first centres and its clustering phase, steps 2 and 3 of the DCEC
chapter's algorithm box (thesis ch. 9).

Step 2 (:func:`initial_centres`) places the centres by k-means on the pretrained embedding,
as Guo et al. and the thesis do, or as options by a Gaussian mixture (§13.1.2 a) or N2D's
clustering of the embedding. Step 3 (:func:`clustering_phase`):

Target updates alternate with gradient steps. At an update, q (eq. 9.4) is computed on all
training images, the target p from it (eq. 9.6), and the share of labels that changed since
the last update is compared with ``tol``; then ``update_interval`` steps of Adam on
``L = L_rec + γ·KL(P‖Q)`` (eq. 9.3/9.5) follow with p held fixed. The steps between two
updates run as one Keras ``fit`` over batches read in order from the (already permuted)
training images as one cyclic stream, so every batch is full. After each interval the whole
state can be checkpointed, and a run resumed from it continues as if never stopped.
"""
from __future__ import annotations

import logging

import numpy as np

from ._provenance import timed
from .cluster import make_gmm, make_kmeans
from .dcec_equations import kl_divergence, target_distribution
from .metrics import evaluate
from .n2d import n2d_centres
from .progress import predict

__all__ = ["KMEANS_N_INIT", "initial_centres", "clustering_phase", "update_scores"]

log = logging.getLogger(__name__)

#: Restarts of the k-means that places the first centres (Guo et al. 2017, as the thesis).
KMEANS_N_INIT = 20


def initial_centres(Z, n_clusters, init="kmeans", random_state=None):
    """Step 2: the first centres in the pretrained embedding ``Z`` (n, d).

    ``init`` is ``"kmeans"`` (k-means with :data:`KMEANS_N_INIT` restarts), ``"gmm"`` (the
    means of a Gaussian mixture, 3 restarts) or ``"umap-gmm"`` (N2D's clustering of ``Z``,
    :func:`~dimclust.n2d.n2d_centres`).

    Returns
    -------
    estimator : KMeans or GaussianMixture
        The fitted clusterer that placed them.
    centres : ndarray of shape (n_clusters, d)
    """
    if init == "kmeans":
        est = make_kmeans(n_clusters, n_init=KMEANS_N_INIT, random_state=random_state)
        return est, est.fit(Z).cluster_centers_
    if init == "gmm":
        est = make_gmm(n_clusters, n_init=3, random_state=random_state)
        return est, est.fit(Z).means_
    if init == "umap-gmm":
        return n2d_centres(Z, n_clusters, random_state)
    raise ValueError(f"init={init!r}; choose 'kmeans', 'gmm' or 'umap-gmm'")


def update_scores(net, labels, y_train=None, X_val=()):
    """What a target update logs beside the losses: ACC, NMI and ARI of ``labels`` when the
    true labels ``y_train`` are given (they change nothing), and with held-out images
    ``X_val`` their reconstruction error and KL(P‖Q) (§13.1.2 f)."""
    out = {}
    if y_train is not None:
        out.update({k: v for k, v in evaluate(y_train, labels).items()
                    if k in ("acc", "nmi", "ari")})
    if len(X_val):
        rec, qv = (np.asarray(a) for a in predict(net, X_val))
        out["val_reconstruction"] = float(np.mean((rec - X_val) ** 2))
        out["val_clustering"] = float(kl_divergence(target_distribution(qv), qv))
    return out


def clustering_phase(net, X_train, *, q_of, scores, state, update_interval, maxiter, tol,
                     batch_size, timings, ckpt=None, seconds=None, verbose=0):
    """Run the clustering phase of a compiled :class:`~dimclust.dcec_keras.DCECNet`.

    Parameters
    ----------
    net : DCECNet
        Compiled, with its centres placed (step 2).
    X_train : ndarray of shape (n, h, w, c)
        The training images in the order the batches read them.
    q_of : callable
        Images → soft assignments q, shape (n, n_clusters).
    scores : callable
        Labels of ``X_train`` → a dict logged at each update (label scores, held-out
        losses); ``{}`` when there is nothing to log.
    state : dict
        Where to start: ``iteration``, ``position`` (of the next batch in the stream),
        ``labels`` (at the last update, or ``None``), ``pending`` (the losses of the last
        interval, logged at the next update) and ``history`` (extended in place).
    update_interval, maxiter : int
        Steps between two target updates; most steps in all.
    tol : float
        Stop at an update (after the first) where fewer than this share of labels changed.
    batch_size : int
    timings : dict
        Gets ``target_updates`` and ``cluster_steps``: wall seconds of each kind of work.
    ckpt : :class:`~dimclust.checkpoint.Checkpoint`, optional
        Saved after every interval.
    seconds : callable, optional
        ``() -> float``: the seconds the whole fit has taken so far, every interrupted leg
        included; saved with each checkpoint as ``seconds``, so that a resumed fit can
        count them.
    verbose : int, default 0
        Non-zero: a progress bar over the iterations.

    Returns
    -------
    history : list of dict
        One entry per update: ``iteration``, the last interval's losses, ``delta_label``
        and what ``scores`` gave.
    n_iter : int
        Gradient steps run, in all.
    """
    from tqdm.auto import tqdm  # noqa: PLC0415
    seconds = seconds or (lambda: 0.0)
    history = state["history"]
    last, ite, pos = state["labels"], state["iteration"], state["position"]
    pending = state["pending"]
    bar = tqdm(total=int(maxiter), initial=ite, desc="DCEC", unit="it", disable=not verbose)
    timings.update(target_updates=0.0, cluster_steps=0.0)
    while True:
        with timed(timings, "target_updates"):
            q = q_of(X_train)
            labels = q.argmax(1)
            p = target_distribution(q).astype(np.float32)
            delta = 1.0 if last is None else float(np.mean(labels != last))
            entry = {"iteration": ite, **pending, "delta_label": delta, **scores(labels)}
        history.append(entry)
        log.info("DCEC update %s", entry)
        bar.set_postfix({k: round(v, 4) for k, v in entry.items() if k != "iteration"})
        last = labels
        if ite > 0 and delta < tol:
            log.info("DCEC: %.4f of labels changed < tol=%g at iteration %d; stopping",
                     delta, tol, ite)
            break
        if ite >= maxiter:
            break
        steps = min(int(update_interval), int(maxiter) - ite)
        with timed(timings, "cluster_steps"):
            pending = _steps(net, X_train, p, pos, steps, ite, batch_size)
        pos, ite = int((pos + steps * batch_size) % len(X_train)), ite + steps
        bar.update(steps)
        if ckpt is not None:
            ckpt.save(net, {"iteration": ite, "position": pos, "labels": last,
                            "pending": pending, "history": history, "seconds": seconds()})
    bar.close()
    return history, ite


def _steps(net, X_train, p, position, steps, iteration, batch_size):
    """``steps`` gradient steps on the batches of the cyclic stream from ``position``; the
    last batch's losses."""
    from .dcec_keras import NaNGuard  # noqa: PLC0415  (imports Keras)
    idx = (position + np.arange(steps * batch_size)) % len(X_train)
    h = net.fit(X_train[idx], (X_train[idx], p[idx]), batch_size=batch_size, epochs=1,
                shuffle=False, verbose=0, callbacks=[NaNGuard(iteration)])
    return {k: float(v[-1]) for k, v in h.history.items()}
