"""The convolutional autoencoders' layer graphs (thesis §6.5, §11.1.2, appendix §7 and §9).

``"guo"``
    The CAE inside DCEC (Guo et al. 2017; thesis fig. 11.12): strided convolutions
    32-64-128 (5×5, 5×5, 3×3), a dense embedding, and the mirrored transposed
    convolutions; linear output (MSE). 275,979 parameters at 28×28×1 with a 10-D code.
``"thesis"``
    The thesis's own CAE (§11.1.2, figs. 11.5–11.6, appendix §7), the one behind its
    "CAE10 + k-means" rows: five 3×3 convolutions with 24-20-16-12-10 filters, each
    followed by LeakyReLU(0.2) and a 2×2 max-pool, down to a 1×1×10 code (no dense
    layer); the decoder up-samples ×2, ×2, ×3, ×2 through convolutions of 10, 12, 16
    (2×2) and 20 filters, then two 3×3 transposed convolutions ("valid") back to 28×28,
    sigmoid output (binary cross-entropy). 20,553 parameters at 28×28×1.
``"keras_blog"``
    The small autoencoder of the Keras blog (Chollet 2016) with a dense code, which the
    thesis used only for its 2-D and 128-D views (appendix §9): Conv16–Conv8–Conv8 with
    max-pooling, a dense embedding, Dense(128) → 4×4×8 and convolutions with up-sampling
    back; sigmoid output (binary cross-entropy).
``"dec"``
    The fully connected autoencoder of DEC (Xie et al. 2016) that N2D (McConville et al.
    2019) trains: pixels → 500 → 500 → 2000 → code, mirrored back, ReLU inside, linear
    code and output (MSE). 3,330,794 parameters at 28×28×1 with a 10-D code. Not a
    convolutional network: it sees the image as a vector.

Every builder uses ``keras.layers`` only, so each backend runs it.
"""
from __future__ import annotations

from ._validation import check_random_state

__all__ = ["ARCHITECTURES", "build_cae", "check_shape", "layer_table"]

ARCHITECTURES = ("guo", "thesis", "keras_blog", "dec")


def check_shape(architecture, shape):
    """Raise a ValueError naming the fix when ``architecture`` cannot take ``shape`` (h, w, c)."""
    h, w, _ = shape
    if architecture not in ARCHITECTURES:
        raise ValueError(f"architecture={architecture!r}; choose one of {ARCHITECTURES}")
    if architecture == "dec":
        return                                  # fully connected: any image shape
    if h != w:
        raise ValueError(f"images must be square for the {architecture!r} CAE, got {h}×{w}")
    if architecture == "guo" and (h % 4 or h < 8):
        raise ValueError(f"the 'guo' CAE needs a side divisible by 4 and at least 8 (28 or "
                         f"32), got {h}")
    if architecture == "thesis" and h != 28:
        raise ValueError(f"the 'thesis' CAE is built for 28×28 images (its decoder grows "
                         f"1→2→4→12→24→28), got {h}×{w}; use architecture='guo'")
    if architecture == "keras_blog" and h not in (28, 32):
        raise ValueError(f"the 'keras_blog' CAE is built for 28×28 or 32×32 images, got {h}×{w}")


def build_cae(architecture, input_shape, embedding_dim, output_activation=None, seed=None):
    """Build the encoder and decoder of a CAE.

    Parameters
    ----------
    architecture : {"guo", "thesis", "keras_blog", "dec"}
    input_shape : tuple (height, width, channels)
    embedding_dim : int
        Size of the code. For ``"thesis"`` it is the number of filters of the last
        encoder convolution (10 in the thesis).
    output_activation : str or None
        Last layer's activation; ``None`` means linear for ``"guo"`` (as in DCEC) and
        ``"dec"`` (as in N2D), sigmoid for the other two.
    seed : int, Generator or None
        Seeds each layer's own weight initialiser; global random state is not touched.

    Returns
    -------
    encoder, decoder : keras.Model
        ``encoder`` maps images to ``(embedding_dim,)``, ``decoder`` maps back.
    """
    import keras  # noqa: PLC0415
    check_shape(architecture, tuple(input_shape))
    rng = None if seed is None else check_random_state(seed)

    def init():                 # a seeded Glorot-uniform initialiser per layer
        if rng is None:
            return {}
        return {"kernel_initializer": keras.initializers.GlorotUniform(
            seed=int(rng.integers(2**31 - 1)))}

    build = {"guo": _guo, "thesis": _thesis, "keras_blog": _keras_blog,
             "dec": _dec}[architecture]
    inp = keras.Input(shape=tuple(input_shape), name="image")
    z_in = keras.Input(shape=(embedding_dim,), name="embedding")
    z, out = build(inp, z_in, tuple(input_shape), embedding_dim, output_activation, init)
    return keras.Model(inp, z, name="encoder"), keras.Model(z_in, out, name="decoder")


def _guo(inp, z_in, shape, d, act, init):
    from keras import layers  # noqa: PLC0415
    h, _, c = shape
    pad3 = "same" if h % 8 == 0 else "valid"
    s3 = h // 8 if h % 8 == 0 else (h // 4 - 3) // 2 + 1
    x = layers.Conv2D(32, 5, strides=2, padding="same", activation="relu", name="conv1",
                      **init())(inp)
    x = layers.Conv2D(64, 5, strides=2, padding="same", activation="relu", name="conv2",
                      **init())(x)
    x = layers.Conv2D(128, 3, strides=2, padding=pad3, activation="relu", name="conv3",
                      **init())(x)
    z = layers.Dense(d, name="embedding", **init())(layers.Flatten()(x))
    y = layers.Dense(s3 * s3 * 128, activation="relu", name="dense", **init())(z_in)
    y = layers.Reshape((s3, s3, 128))(y)
    y = layers.Conv2DTranspose(64, 3, strides=2, padding=pad3, activation="relu",
                               name="deconv3", **init())(y)
    y = layers.Conv2DTranspose(32, 5, strides=2, padding="same", activation="relu",
                               name="deconv2", **init())(y)
    out = layers.Conv2DTranspose(c, 5, strides=2, padding="same", activation=act,
                                 name="deconv1", **init())(y)
    return z, out


def _thesis(inp, z_in, shape, d, act, init):
    from keras import layers  # noqa: PLC0415
    c = shape[2]
    x = inp
    for i, f in enumerate((24, 20, 16, 12, d)):
        x = layers.Conv2D(f, 3, padding="same", name=f"conv{i + 1}", **init())(x)
        x = layers.LeakyReLU(negative_slope=0.2)(x)
        x = layers.MaxPooling2D(2, padding="same", name=f"pool{i + 1}")(x)      # → 1×1×d
    z = layers.Flatten(name="code")(x)
    y = layers.Reshape((1, 1, d))(z_in)
    for i, (up, f, k) in enumerate(((2, 10, 3), (1, 12, 3), (2, 16, 2), (3, 20, 3))):
        if up > 1:
            y = layers.UpSampling2D(up)(y)
        y = layers.Conv2D(f, k, padding="same", name=f"deconv{i + 1}", **init())(y)
        y = layers.LeakyReLU(negative_slope=0.2)(y)
    y = layers.UpSampling2D(2)(y)                                                # 24×24
    y = layers.Conv2DTranspose(24, 3, padding="valid", activation="relu", name="tconv1",
                               **init())(y)                                      # 26×26
    out = layers.Conv2DTranspose(c, 3, padding="valid", activation=act or "sigmoid",
                                 name="output", **init())(y)                     # 28×28
    return z, out


def _keras_blog(inp, z_in, shape, d, act, init):
    from keras import layers  # noqa: PLC0415
    h, _, c = shape
    x = inp
    for i, f in enumerate((16, 8, 8)):
        x = layers.Conv2D(f, 3, padding="same", activation="relu", name=f"conv{i + 1}",
                          **init())(x)
        x = layers.MaxPooling2D(2, padding="same", name=f"pool{i + 1}")(x)
    z = layers.Dense(d, name="embedding", **init())(layers.Flatten()(x))
    y = layers.Dense(128, activation="relu", name="dense", **init())(z_in)
    y = layers.Reshape((4, 4, 8))(y)
    for i, (f, pad) in enumerate(((8, "same"), (8, "same"),
                                  (16, "valid" if h == 28 else "same"))):
        y = layers.Conv2D(f, 3, padding=pad, activation="relu", name=f"deconv{3 - i}",
                          **init())(y)
        y = layers.UpSampling2D(2, name=f"up{3 - i}")(y)
    out = layers.Conv2D(c, 3, padding="same", activation=act or "sigmoid", name="output",
                        **init())(y)
    return z, out


def _dec(inp, z_in, shape, d, act, init):
    from keras import layers  # noqa: PLC0415
    widths = (500, 500, 2000)
    x = layers.Flatten(name="pixels")(inp)
    for i, n in enumerate(widths):
        x = layers.Dense(n, activation="relu", name=f"encoder_{i}", **init())(x)
    z = layers.Dense(d, name="embedding", **init())(x)
    y = z_in
    for i, n in enumerate(reversed(widths)):
        y = layers.Dense(n, activation="relu", name=f"decoder_{len(widths) - i}", **init())(y)
    y = layers.Dense(int(shape[0] * shape[1] * shape[2]), activation=act, name="decoder_0",
                     **init())(y)
    return z, layers.Reshape(shape, name="image_out")(y)


def layer_table(architecture, input_shape=(28, 28, 1), embedding_dim=10):
    """The layers of one autoencoder, in order: the thesis's figs. 11.5–11.6 and 11.12 as a table.

    Returns
    -------
    pandas.DataFrame
        One row per layer: part (encoder/decoder), layer name, type, output shape (without
        the batch axis), parameters and activation.
    """
    import pandas as pd  # noqa: PLC0415
    check_shape(architecture, input_shape)
    act = None if architecture in ("guo", "dec") else "sigmoid"
    rows = []
    for part, net in zip(("encoder", "decoder"),
                         build_cae(architecture, tuple(input_shape), embedding_dim, act, seed=0)):
        for layer in net.layers:
            activation = getattr(layer, "activation", None)
            rows.append({"part": part, "layer": layer.name, "type": type(layer).__name__,
                         "output shape": " × ".join(str(d) for d in layer.output.shape[1:]),
                         "parameters": int(layer.count_params()),
                         "activation": getattr(activation, "__name__", "") or ""})
    return pd.DataFrame(rows)
