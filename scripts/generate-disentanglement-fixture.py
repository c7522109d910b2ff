#!/usr/bin/env python3
"""Writes Tests/EvaluationTests/Fixtures/disentanglement.json: small inputs and scikit-learn's (and NumPy's)
outputs on them, for the Swift classifiers and disentanglement metrics to be compared with.

Run with a Python that has numpy, scipy and scikit-learn:
    python scripts/generate-disentanglement-fixture.py
Inputs are rounded to float32 so that Swift, reading them as Float, sees identical numbers.
"""
import json, os, platform
import numpy as np, scipy, scipy.linalg, sklearn
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.svm import LinearSVC
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import mutual_info_score

rng = np.random.default_rng(23)
out = {"python": platform.python_version(), "numpy": np.__version__, "scipy": scipy.__version__, "scikit_learn": sklearn.__version__}

def f32(a): return np.asarray(a, dtype=np.float32).astype(np.float64)

# Gradient boosting: 3 classes (multinomial) and 2 (binomial), continuous features, some informative.
def gbt_case(n_train, n_test, d, classes):
    n = n_train + n_test
    y = rng.integers(0, classes, n)
    x = rng.normal(size=(n, d))
    x[:, 0] += 1.5 * y
    if d > 1: x[:, 1] += 0.7 * (y % 2)
    x = f32(x)
    model = GradientBoostingClassifier(random_state=0).fit(x[:n_train].astype(np.float32), y[:n_train])
    # scikit-learn visits features in a random order, which decides exact ties between features (a node of 2
    # examples that several features separate): its spread over random states 0-3 bounds what can be compared.
    others = [GradientBoostingClassifier(random_state=r).fit(x[:n_train].astype(np.float32), y[:n_train]) for r in (1, 2, 3)]
    spread_scores = max(np.abs(model.decision_function(x[n_train:].astype(np.float32)) - o.decision_function(x[n_train:].astype(np.float32))).max() for o in others)
    spread_importances = max(np.abs(model.feature_importances_ - o.feature_importances_).max() for o in others)
    return {"train_features": x[:n_train].tolist(), "train_labels": y[:n_train].tolist(),
            "test_features": x[n_train:].tolist(), "test_labels": y[n_train:].tolist(),
            "test_predictions": model.predict(x[n_train:].astype(np.float32)).tolist(),
            "train_predictions": model.predict(x[:n_train].astype(np.float32)).tolist(),
            "test_decision": model.decision_function(x[n_train:].astype(np.float32)).tolist(),
            "feature_importances": model.feature_importances_.tolist(),
            "random_state_spread_scores": float(spread_scores), "random_state_spread_importances": float(spread_importances)}
# One feature: no ties between features, so scikit-learn's trees do not depend on its random state.
out["gradient_boosting"] = [gbt_case(300, 150, 4, 3), gbt_case(200, 100, 3, 2), gbt_case(300, 150, 1, 3), gbt_case(200, 100, 1, 2)]

# Linear SVC on one feature (SAP's): imbalanced 3 classes and 2.
def svc_case(n_train, n_test, probabilities):
    n = n_train + n_test
    y = rng.choice(len(probabilities), size=n, p=probabilities)
    x = f32(y * 0.8 + rng.normal(0, 1.0, n))
    model = LinearSVC(C=0.01, class_weight="balanced").fit(x[:n_train, None], y[:n_train])
    exact = LinearSVC(C=0.01, class_weight="balanced", tol=1e-12, max_iter=100000).fit(x[:n_train, None], y[:n_train])
    return {"train_values": x[:n_train].tolist(), "train_labels": y[:n_train].tolist(),
            "test_values": x[n_train:].tolist(), "test_labels": y[n_train:].tolist(),
            "test_predictions": model.predict(x[n_train:, None]).tolist(),
            "weights": model.coef_.ravel().tolist(), "intercepts": model.intercept_.tolist(),
            "converged_weights": exact.coef_.ravel().tolist(), "converged_intercepts": exact.intercept_.tolist()}
out["linear_svc"] = [svc_case(400, 200, [0.5, 0.3, 0.2]), svc_case(300, 100, [0.7, 0.3])]

# Logistic regression (β-VAE's): 4 classes and 2.
def logistic_case(n_train, n_test, d, classes):
    n = n_train + n_test
    y = rng.integers(0, classes, n)
    x = rng.normal(size=(n, d)) * 0.5
    for k in range(classes): x[y == k, k % d] += 1.0
    x = f32(x)
    model = LogisticRegression().fit(x[:n_train], y[:n_train])
    exact = LogisticRegression(tol=1e-12, max_iter=100000).fit(x[:n_train], y[:n_train])
    return {"train_features": x[:n_train].tolist(), "train_labels": y[:n_train].tolist(),
            "test_features": x[n_train:].tolist(), "test_labels": y[n_train:].tolist(),
            "test_predictions": model.predict(x[n_train:]).tolist(), "iterations": int(model.n_iter_[0]),
            "coefficients": model.coef_.tolist(), "intercepts": model.intercept_.tolist(),
            "converged_coefficients": exact.coef_.tolist(), "converged_intercepts": exact.intercept_.tolist()}
out["logistic_regression"] = [logistic_case(400, 200, 5, 4), logistic_case(300, 100, 3, 2)]

# MIG and the unsupervised scores, from their definitions (NumPy's histogram, scikit-learn's mutual_info_score).
n = 600
factors = np.stack([rng.integers(0, 3, n), rng.integers(0, 5, n)], axis=1)
codes = np.stack([factors[:, 0] + rng.normal(0, 0.3, n), rng.normal(size=n), factors[:, 1] * 0.5 + rng.normal(0, 0.4, n) + 0.3 * factors[:, 0]], axis=1).astype(np.float32)
def discretize(z): return np.stack([np.digitize(z[:, j], np.histogram(z[:, j], 20)[1][:-1]) for j in range(z.shape[1])], axis=1)
binned = discretize(codes)
mi = np.array([[mutual_info_score(factors[:, k], binned[:, j]) for k in range(factors.shape[1])] for j in range(codes.shape[1])])
entropy = np.array([mutual_info_score(factors[:, k], factors[:, k]) for k in range(factors.shape[1])])
top = np.sort(mi, axis=0)[::-1]
cov = np.cov(codes.astype(np.float64).T)
tc = 0.5 * (np.sum(np.log(np.diag(cov))) - np.linalg.slogdet(cov)[1])
wd = 2 * np.trace(cov) - 2 * np.trace(scipy.linalg.sqrtm(cov * np.expand_dims(np.diag(cov), axis=1))).real
pair = np.array([[mutual_info_score(binned[:, i], binned[:, j]) for j in range(3)] for i in range(3)])
np.fill_diagonal(pair, 0)
out["codes_and_factors"] = {"codes": codes.astype(np.float64).tolist(), "factors": factors.tolist(), "bins": binned.tolist(),
                            "mutual_information": mi.tolist(), "entropies": entropy.tolist(),
                            "mig": float(np.mean((top[0] - top[1]) / entropy)),
                            "gaussian_total_correlation": float(tc), "wasserstein_dependency": float(wd),
                            "normalized_wasserstein_dependency": float(wd / np.trace(cov)),
                            "mean_mutual_information": float(pair.sum() / 6)}

# DCI and SAP by their definitions on the same codes: rows 0-399 train, 400-599 test.
import scipy.stats
train, test = slice(0, 400), slice(400, 600)
importance = np.zeros((3, 2)); test_accuracy = []
for k in range(2):
    model = GradientBoostingClassifier(random_state=0).fit(codes[train], factors[train, k])
    importance[:, k] = np.abs(model.feature_importances_)
    test_accuracy.append(np.mean(model.predict(codes[test]) == factors[test, k]))
def one_minus_entropy(rows, base): return 1 - scipy.stats.entropy(rows.T + 1e-11, base=base)
weights = importance if importance.sum() > 0 else np.ones_like(importance)
disentanglement = np.sum(one_minus_entropy(importance, 2) * weights.sum(axis=1) / weights.sum())
completeness = np.sum(one_minus_entropy(importance.T, 3) * weights.sum(axis=0) / weights.sum())
scores = np.zeros((3, 2))
for j in range(3):
    for k in range(2):
        model = LinearSVC(C=0.01, class_weight="balanced").fit(codes[train, j, None].astype(np.float64), factors[train, k])
        scores[j, k] = np.mean(model.predict(codes[test, j, None].astype(np.float64)) == factors[test, k])
ordered = np.sort(scores, axis=0)
out["codes_and_factors"].update({"dci_importance": importance.tolist(), "dci_disentanglement": float(disentanglement),
                                 "dci_completeness": float(completeness), "dci_test_accuracy": [float(a) for a in test_accuracy],
                                 "sap_accuracies": scores.tolist(), "sap": float(np.mean(ordered[-1] - ordered[-2]))})

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "EvaluationTests", "Fixtures", "disentanglement.json")
with open(path, "w") as f: json.dump(out, f)
print("wrote", os.path.normpath(path))
