#!/usr/bin/env python3
"""Reference values for EvaluationTests from independent implementations, on inputs stored beside them.

    python3 -m venv /tmp/eval-venv && /tmp/eval-venv/bin/pip install prdc==0.2 numpy scipy scikit-learn
    /tmp/eval-venv/bin/python Tests/EvaluationTests/Fixtures/generate_reference.py

writes Tests/EvaluationTests/Fixtures/reference.json next to this script. Sources of the expected values:
- pairwise distances: scikit-learn `euclidean_distances`;
- precision/recall/density/coverage: the `prdc` package (clovaai/generative-evaluation-prdc, Naeem et al. 2020);
- Fréchet distance: the FID formula with SciPy's `linalg.sqrtm` (as pytorch-fid computes it, real part kept);
- MMD²: the estimator formulas written out with SciPy's `cdist`; the median heuristic with `pdist` and NumPy's median;
- seed 001's similarity and diversity: scikit-learn `euclidean_distances`/`cosine_similarity`, NumPy `std(ddof=1)`,
  SciPy `pdist(...).mean()`;
- active units: NumPy `var(ddof=1)` >= 0.01 (jxhe/vae-lagging-encoder `calc_au`);
- mutual information: jxhe/vae-lagging-encoder `calc_mi`'s formula in NumPy with SciPy's `logsumexp`;
- log-mean-exp: SciPy `logsumexp` minus log K.
Floats are written with repr(), so they read back as exactly the doubles computed here. All inputs are float64.
"""
import contextlib, io, json, math, os, platform, sys

import numpy as np
import prdc
import scipy
import scipy.linalg
import scipy.spatial.distance as ssd
import scipy.special
import sklearn
from sklearn.metrics.pairwise import cosine_similarity, euclidean_distances

rng = np.random.default_rng(20260522)


def rows(a):
    return [[float(v) for v in row] for row in np.asarray(a, dtype=np.float64)]


def flat(a):
    return [float(v) for v in np.asarray(a, dtype=np.float64).ravel()]


# Pairwise distances.
dx = rng.normal(size=(12, 4)) * 3 + 5
dy = rng.normal(size=(9, 4)) * 2 + 4
distances = {"x": rows(dx), "y": rows(dy), "x_y": rows(euclidean_distances(dx, dy)), "x_x": rows(euclidean_distances(dx))}

# PRDC: real from N(0, I), generated from a shifted, narrower Gaussian, in 8-D.
prdc_real = rng.normal(size=(300, 8))
prdc_fake = rng.normal(size=(250, 8)) * 0.8 + 0.3
prdc_cases = {}
for k in (1, 3, 5):
    with contextlib.redirect_stdout(io.StringIO()):  # compute_prdc prints the set sizes
        values = prdc.compute_prdc(real_features=prdc_real, fake_features=prdc_fake, nearest_k=k)
    prdc_cases[str(k)] = {name: float(value) for name, value in values.items()}
prdc_section = {"real": rows(prdc_real), "fake": rows(prdc_fake), "results": prdc_cases}

# MMD² with the RBF kernel exp(-d^2 / (2 s^2)).
mmd_real = rng.normal(size=(120, 6))
mmd_fake = rng.normal(size=(100, 6)) * 1.2 + 0.25


def mmd(x, y, s):
    kxx = np.exp(-ssd.cdist(x, x, "sqeuclidean") / (2 * s * s))
    kyy = np.exp(-ssd.cdist(y, y, "sqeuclidean") / (2 * s * s))
    kxy = np.exp(-ssd.cdist(x, y, "sqeuclidean") / (2 * s * s))
    n, m = len(x), len(y)
    unbiased = (kxx.sum() - np.trace(kxx)) / (n * (n - 1)) + (kyy.sum() - np.trace(kyy)) / (m * (m - 1)) - 2 * kxy.mean()
    biased = kxx.mean() + kyy.mean() - 2 * kxy.mean()
    return float(unbiased), float(biased)


median = float(np.median(ssd.pdist(np.concatenate([mmd_real, mmd_fake]))))
mmd_section = {"real": rows(mmd_real), "fake": rows(mmd_fake), "fixed_bandwidth": 2.5,
               "fixed": dict(zip(("unbiased", "biased"), mmd(mmd_real, mmd_fake, 2.5))),
               "median_bandwidth": median,
               "median": dict(zip(("unbiased", "biased"), mmd(mmd_real, mmd_fake, median)))}


# Fréchet distance, the pytorch-fid way: sqrtm of the product, real part.
def frechet(mu1, sigma1, mu2, sigma2):
    covmean = scipy.linalg.sqrtm(sigma1.dot(sigma2))
    if np.iscomplexobj(covmean):
        covmean = covmean.real
    diff = mu1 - mu2
    return float(diff.dot(diff) + np.trace(sigma1) + np.trace(sigma2) - 2 * np.trace(covmean))


mixing = rng.normal(size=(5, 5))
fid_real = rng.normal(size=(400, 5)) @ mixing
fid_fake = rng.normal(size=(300, 5)) @ (mixing * 0.9) + 0.5
fid_samples = frechet(fid_real.mean(0), np.cov(fid_real, rowvar=False), fid_fake.mean(0), np.cov(fid_fake, rowvar=False))
a, b = rng.normal(size=(6, 6)), rng.normal(size=(6, 6))
sigma1, sigma2 = a @ a.T + 0.1 * np.eye(6), b @ b.T + 0.1 * np.eye(6)
mu1, mu2 = rng.normal(size=6), rng.normal(size=6)
frechet_section = {"real": rows(fid_real), "fake": rows(fid_fake), "samples_distance": fid_samples,
                   "mean1": flat(mu1), "covariance1": rows(sigma1), "mean2": flat(mu2), "covariance2": rows(sigma2),
                   "statistics_distance": frechet(mu1, sigma1, mu2, sigma2)}

# Seed 001's similarity and diversity.
sim_real = rng.normal(size=(80, 7)) + 1
sim_fake = rng.normal(size=(60, 7)) * 0.7 + 1.2
similarity_section = {
    "real": rows(sim_real), "fake": rows(sim_fake),
    "nearest_neighbour_l2": float(euclidean_distances(sim_fake, sim_real).min(axis=1).mean()),
    "nearest_neighbour_cosine": float(cosine_similarity(sim_fake, sim_real).max(axis=1).mean()),
    "mean_embedding_l2": float(np.linalg.norm(sim_fake.mean(0) - sim_real.mean(0))),
    "mean_embedding_cosine": float(cosine_similarity(sim_fake.mean(0, keepdims=True), sim_real.mean(0, keepdims=True))[0, 0]),
    "standard_deviations": flat(sim_fake.std(axis=0, ddof=1)),
    "mean_pairwise_distance": float(ssd.pdist(sim_fake).mean()),
}

# Active units and mutual information for a diagonal Gaussian posterior: 100 examples, 4 dimensions, of which
# dimension 2 barely moves (variance about 0.005^2) and dimension 3 moves a little.
n, d = 100, 4
means = rng.normal(size=(n, d)) * np.array([1.0, 0.5, 0.005, 0.12])
log_variances = rng.normal(size=(n, d)) * 0.3 + np.array([-2.0, -1.0, 0.0, -0.5])
samples = means + np.exp(0.5 * log_variances) * rng.normal(size=(n, d))
au_variances = means.var(axis=0, ddof=1)


def calc_mi(mu, logvar, z):  # jxhe/vae-lagging-encoder calc_mi, for one batch, in NumPy
    b, nz = mu.shape
    neg_entropy = (-0.5 * nz * math.log(2 * math.pi) - 0.5 * (1 + logvar).sum(-1)).mean()
    dev = z[:, None, :] - mu[None, :, :]
    log_density = -0.5 * ((dev ** 2) / np.exp(logvar)[None]).sum(-1) - 0.5 * (nz * math.log(2 * math.pi) + logvar.sum(-1))[None]
    log_qz = scipy.special.logsumexp(log_density, axis=1) - math.log(b)
    return neg_entropy - log_qz.mean()


batch = 32
total = 0.0
for start in range(0, n, batch):
    stop = min(start + batch, n)
    total += (stop - start) * calc_mi(means[start:stop], log_variances[start:stop], samples[start:stop])
posterior_section = {"means": rows(means), "log_variances": rows(log_variances), "samples": rows(samples),
                     "active_unit_variances": flat(au_variances), "active_units": int((au_variances >= 0.01).sum()),
                     "batch_size": batch, "mutual_information": float(total / n)}

# log-mean-exp.
vectors = [list(rng.normal(size=7) * 30), list(rng.normal(size=250) * 5 - 90), [-1000.0, -1001.0, -1002.5], [700.0, 710.0, 705.0]]
log_mean_exp_section = [{"values": [float(v) for v in vector],
                         "log_mean_exp": float(scipy.special.logsumexp(vector) - math.log(len(vector)))} for vector in vectors]

document = {
    "python": platform.python_version(), "numpy": np.__version__, "scipy": scipy.__version__,
    "scikit_learn": sklearn.__version__, "prdc_package": "0.2",
    "distances": distances, "prdc": prdc_section, "mmd": mmd_section, "frechet": frechet_section,
    "similarity": similarity_section, "posterior": posterior_section, "log_mean_exp": log_mean_exp_section,
}
output = os.path.join(os.path.dirname(os.path.abspath(__file__)), "reference.json")
with open(output, "w") as file:
    json.dump(document, file)
    file.write("\n")
print(f"wrote {output}", file=sys.stderr)
