"""Data sets of the thesis (§10.1): MNIST, Fashion-MNIST, CIFAR-10, plus scikit-learn's digits.

Files are looked for, in order, in

1. the folder named by the environment variable ``DIMCLUST_DATA``
   (``$DIMCLUST_DATA/<folder>/`` or ``$DIMCLUST_DATA/`` itself);
2. Keras's cache, ``~/.keras/datasets`` (where ``keras.datasets`` saves downloads);
3. Debian's data packages, ``/usr/share/datasets/<folder>``
   (``apt-get install dataset-fashion-mnist``);
4. a download through ``keras.datasets``, when the internet can be reached.

IDX files are read directly with :mod:`gzip` and NumPy, so loading pixels never imports
TensorFlow. When nothing works, :class:`DatasetNotFoundError` lists every place searched.
No data set is ever replaced by synthetic data.
"""
from __future__ import annotations

import functools
import gzip
import logging
import os
import pickle
import socket
import tarfile
from pathlib import Path

import numpy as np

from ._validation import check_random_state

__all__ = ["load", "class_names", "available", "DatasetNotFoundError", "DATASETS"]

log = logging.getLogger(__name__)

_IDX = {
    "train": ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"),
    "test": ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"),
}

#: name -> folder name on disk, Keras loader, download host, image shape, splits, images,
#: and whether an image's mirror image (left-right) is of its class: a garment or a car
#: seen mirrored is still one, a digit is not.
DATASETS = {
    "mnist": dict(folder="mnist", keras="mnist", host="storage.googleapis.com",
                  shape=(28, 28, 1), splits=("train", "test"), n=70_000, mirrors=False),
    "mnist-test": dict(folder="mnist", keras="mnist", host="storage.googleapis.com",
                       shape=(28, 28, 1), splits=("test",), n=10_000, mirrors=False),
    "fashion": dict(folder="fashion-mnist", keras="fashion_mnist", host="storage.googleapis.com",
                    shape=(28, 28, 1), splits=("train", "test"), n=70_000, mirrors=True),
    "cifar10": dict(folder="cifar-10-batches-py", keras="cifar10", host="www.cs.toronto.edu",
                    shape=(32, 32, 3), splits=("train", "test"), n=60_000, mirrors=True),
    "digits": dict(folder=None, keras=None, host=None, shape=(8, 8, 1), splits=(None,), n=1_797,
                   mirrors=False),
}

_CLASS_NAMES = {
    "mnist": [str(i) for i in range(10)],
    "mnist-test": [str(i) for i in range(10)],
    "digits": [str(i) for i in range(10)],
    "fashion": ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"],
    "cifar10": ["airplane", "automobile", "bird", "cat", "deer",
                "dog", "frog", "horse", "ship", "truck"],
}


class DatasetNotFoundError(FileNotFoundError):
    """A data set is neither on disk nor downloadable; the message says where we looked."""


def class_names(name):
    """Class names of data set ``name``, index ``i`` naming label ``i``.

    Examples
    --------
    >>> class_names("fashion")[9]
    'Ankle boot'
    """
    _check_name(name)
    return list(_CLASS_NAMES[name])


def _check_name(name):
    if name not in DATASETS:
        raise KeyError(f"unknown data set {name!r}; choose one of {sorted(DATASETS)}")


def _candidate_dirs(folder):
    dirs = []
    if os.environ.get("DIMCLUST_DATA"):
        base = Path(os.environ["DIMCLUST_DATA"]).expanduser()
        dirs += [base / folder, base]
    keras_home = Path(os.environ.get("KERAS_HOME", Path.home() / ".keras")).expanduser()
    dirs += [keras_home / "datasets" / folder, keras_home / "datasets",
             Path("/usr/share/datasets") / folder]
    return dirs


def _read_idx(path):
    """Read one gzipped IDX file (LeCun's format) into a uint8 array."""
    with gzip.open(path, "rb") as f:
        data = f.read()
    if data[:2] != b"\x00\x00" or data[2] != 0x08:
        raise ValueError(f"{path} is not an unsigned-byte IDX file (magic {data[:4].hex()})")
    ndim = data[3]
    shape = tuple(int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim))
    arr = np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim)
    if arr.size != int(np.prod(shape)):
        raise ValueError(f"{path}: header says {shape} but holds {arr.size} bytes")
    return arr.reshape(shape)


def _find_split(name, split, searched):
    """Return (images uint8 (n,h,w,c), labels) of one split from disk, or None."""
    spec = DATASETS[name]
    for d in _candidate_dirs(spec["folder"]):
        if name == "cifar10":
            found = _read_cifar_dir(d, split, searched)
            if found is not None:
                return found
            continue
        img, lab = (d / f for f in _IDX[split])
        searched.append(str(img))
        if img.is_file() and lab.is_file():
            log.info("loading %s/%s from %s", name, split, d)
            X = _read_idx(img)[..., None]
            return X, _read_idx(lab).astype(np.int64)
        npz = d / f"{spec['folder']}.npz"   # keras.datasets.mnist's own cache file
        if name != "fashion" and npz.is_file():
            searched.append(str(npz))
            with np.load(npz) as f:
                return f[f"x_{split}"][..., None], f[f"y_{split}"].astype(np.int64)
    return None


def _read_cifar_dir(d, split, searched):
    files = ["test_batch"] if split == "test" else [f"data_batch_{i}" for i in range(1, 6)]
    searched.append(str(d / files[0]))
    if not all((d / f).is_file() for f in files):
        tgz = d / "cifar-10-python.tar.gz"
        if not tgz.is_file():
            return None
        with tarfile.open(tgz) as t:
            t.extractall(d.parent)
        d = d.parent / "cifar-10-batches-py"
    xs, ys = [], []
    for f in files:
        with open(d / f, "rb") as fh:
            batch = pickle.load(fh, encoding="bytes")
        xs.append(batch[b"data"].reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1))
        ys.append(np.asarray(batch[b"labels"], dtype=np.int64))
    return np.concatenate(xs), np.concatenate(ys)


def _online(host, timeout=3.0):
    if os.environ.get("DIMCLUST_OFFLINE"):
        return False
    try:
        socket.create_connection((host, 443), timeout=timeout).close()
        return True
    except OSError:
        return False


def _download(name, searched):
    spec = DATASETS[name]
    if not _online(spec["host"]):
        return None
    import keras  # noqa: PLC0415  (only for the download)
    log.info("downloading %s through keras.datasets", name)
    (xtr, ytr), (xte, yte) = getattr(keras.datasets, spec["keras"]).load_data()
    def fix(x):
        return x[..., None] if x.ndim == 3 else x
    return {"train": (fix(xtr), ytr.ravel().astype(np.int64)),
            "test": (fix(xte), yte.ravel().astype(np.int64))}


@functools.lru_cache(maxsize=8)
def _load_split(name, split):
    """uint8 images and int64 labels of one split, cached and read-only."""
    if name == "digits":
        from sklearn.datasets import load_digits  # noqa: PLC0415
        d = load_digits()
        X = (d.images * (255.0 / 16.0)).round().astype(np.uint8)[..., None]
        out = X, d.target.astype(np.int64)
    else:
        searched = []
        out = _find_split(name, split, searched)
        if out is None:
            downloaded = _download(name, searched)
            if downloaded is None:
                raise DatasetNotFoundError(_not_found_message(name, searched))
            out = downloaded[split]
    for a in out:
        a.setflags(write=False)
    return out


def _not_found_message(name, searched):
    spec = DATASETS[name]
    places = "\n  ".join(dict.fromkeys(searched))
    hint = {"fashion": "apt-get install dataset-fashion-mnist (Debian/Ubuntu), or ",
            }.get(name, "")
    return (f"data set {name!r} not found. Searched:\n  {places}\n"
            f"and keras.datasets.{spec['keras']}.load_data() could not reach {spec['host']} "
            f"(offline?). To provide it: {hint}copy the files into $DIMCLUST_DATA/{spec['folder']}/ "
            f"or run keras.datasets.{spec['keras']}.load_data() once on a machine with internet.")


def available(name):
    """Whether data set ``name`` can be loaded here (on disk, or downloadable)."""
    try:
        for split in DATASETS[name]["splits"]:
            _load_split(name, split)
        return True
    except DatasetNotFoundError:
        return False


def load(name, *, subset=None, n_samples=None, random_state=None, flatten=False, stratify=False):
    """Load a data set as float32 pixels in [0, 1] and integer labels.

    Parameters
    ----------
    name : {"mnist", "mnist-test", "fashion", "cifar10", "digits"}
        ``"mnist"`` and ``"fashion"`` are all 70,000 images (train + test), as the thesis
        and DCEC use them; ``"mnist-test"`` the official 10,000 test images; ``"cifar10"``
        all 60,000; ``"digits"`` scikit-learn's 1,797 8×8 digits.
    subset : {None, "train", "test"}, default None
        An official split; ``None`` is the whole set (train followed by test).
    n_samples : int, optional
        Draw this many images at random, without replacement (reproducible with
        ``random_state``). ``None`` keeps all, in file order.
    random_state : int, numpy Generator or None, default None
        Seed for the ``n_samples`` draw.
    flatten : bool, default False
        Return ``X`` of shape ``(n, h*w*c)`` instead of ``(n, h, w, c)``.
    stratify : bool, default False
        Draw ``n_samples`` with class proportions kept (largest remainders), instead of
        a plain uniform draw.

    Returns
    -------
    X : ndarray of float32, shape (n, 28, 28, 1), (n, 32, 32, 3), (n, 8, 8, 1) or (n, d)
    y : ndarray of int64, shape (n,)

    Raises
    ------
    KeyError
        Unknown ``name``.
    ValueError
        Bad ``subset`` or ``n_samples``.
    DatasetNotFoundError
        The files are not on disk and cannot be downloaded.
    """
    _check_name(name)
    splits = DATASETS[name]["splits"]
    if subset is None:
        wanted = splits
    elif subset in splits:
        wanted = (subset,)
    else:
        raise ValueError(f"subset={subset!r} is not available for {name!r}; "
                         f"choose None or one of {[s for s in splits if s]}")
    parts = [_load_split(name, s) for s in wanted]
    X8 = parts[0][0] if len(parts) == 1 else np.concatenate([p[0] for p in parts])
    y = parts[0][1] if len(parts) == 1 else np.concatenate([p[1] for p in parts])
    if n_samples is not None:
        idx = _draw(y, n_samples, random_state, stratify)
        X8, y = X8[idx], y[idx]
    X = X8.astype(np.float32) / np.float32(255.0)
    if flatten:
        X = X.reshape(len(X), -1)
    return X, np.array(y, dtype=np.int64)


def _draw(y, n_samples, random_state, stratify):
    n = len(y)
    if isinstance(n_samples, bool) or not isinstance(n_samples, (int, np.integer)):
        raise ValueError(f"n_samples={n_samples!r} must be an integer")
    if not 1 <= n_samples <= n:
        raise ValueError(f"n_samples={n_samples} must be between 1 and the {n} images available")
    rng = check_random_state(random_state)
    if not stratify:
        return np.sort(rng.choice(n, size=n_samples, replace=False))
    classes, counts = np.unique(y, return_counts=True)
    exact = counts * n_samples / n
    take = np.floor(exact).astype(int)
    rest = n_samples - take.sum()
    take[np.argsort(-(exact - take), kind="stable")[:rest]] += 1
    idx = [rng.choice(np.flatnonzero(y == c), size=k, replace=False)
           for c, k in zip(classes, take)]
    return np.sort(np.concatenate(idx))
