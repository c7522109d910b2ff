#!/usr/bin/env python3
"""Writes scikit-learn's handwritten digits as the files a user would bring to anneal.

    python digits_to_npy.py OUT_DIR

OUT_DIR/digits.npy: float32, shape (1797, 64): the 8 × 8 images, pixel values 0..16 divided by 16, so in [0, 1]
(anneal's Bernoulli likelihood reads them as pixel intensities). OUT_DIR/digits_labels.npy: int64, shape (1797,),
the digit 0..9. The data ship inside scikit-learn (load_digits reads a file in the package; nothing is
downloaded). Needs numpy and scikit-learn.
"""
import os
import sys

import numpy as np
from sklearn.datasets import load_digits


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit("usage: digits_to_npy.py OUT_DIR")
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    digits = load_digits()
    images = (digits.data / 16.0).astype(np.float32)
    labels = digits.target.astype(np.int64)
    np.save(os.path.join(out, "digits.npy"), images)
    np.save(os.path.join(out, "digits_labels.npy"), labels)
    print(f"wrote {images.shape[0]} images of {images.shape[1]} pixels and their labels to {out}")


if __name__ == "__main__":
    main()
