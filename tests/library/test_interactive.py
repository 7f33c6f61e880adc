import re

import numpy as np
import pytest

import dimclust as dc


def test_explore_is_self_contained_and_carries_every_point(digit_images):
    X, y = digit_images
    Z = dc.PCA(2, random_state=0).fit_transform(X.reshape(len(X), -1))
    labels = np.where(np.arange(len(y)) % 7 == 0, -1, y)
    ex = dc.explore(Z, X, y, labels, n_points=300, title="PCA")
    assert ex.n_points == 300
    page = ex.html
    # no external script or style: BokehJS inline, works offline
    assert not re.search(r'<script[^>]+src="http', page)
    assert not re.search(r'<link[^>]+href="http', page)
    assert "cdn.bokeh.org" not in page
    # one thumbnail per point, each a PNG decoded from the image shown
    from dimclust.interactive import _thumbnail
    head = _thumbnail(X[0])[:60]                    # PNG signature and a 28×28 header
    assert page.count(head) == 300
    assert "noise" in page and "@cluster" in page
    assert "srcdoc=" in ex._repr_html_()
    flat = dc.explore(Z, X.reshape(len(X), -1), y, n_points=50)      # flat rows: square grey
    assert flat.html.count(head) == 50
    with pytest.raises(ValueError, match="pass image_shape"):
        dc.explore(Z, np.zeros((len(Z), 3072 - 1)), y)
    n = len(X)
    with pytest.raises(ValueError, match=rf"need one row per point; got {n}, 10, {n}"):
        dc.explore(Z, X[:10], y)
    with pytest.raises(ValueError, match=rf"shape \({n},\)"):
        dc.explore(Z[:, 0], X, y)


def test_thumbnail_round_trips_the_pixels(digit_images):
    import base64
    import io

    from PIL import Image

    from dimclust.interactive import _thumbnail
    img = digit_images[0][3]
    uri = _thumbnail(img)
    back = np.asarray(Image.open(io.BytesIO(base64.b64decode(uri.split(",", 1)[1]))))
    np.testing.assert_array_equal(back, (img[:, :, 0] * 255).round().astype(np.uint8))
