"""Runs anneal's ONNX exports in ONNX Runtime and compares them with anneal's own outputs.

Usage: check_onnx.py MANIFEST.json. The manifest lists cases: {"file": model.onnx, "inputs": {name: .npy},
"expected": [[output name, .npy], ...]}. Each model must pass onnx.checker.check_model(full_check=True); each
float output must match within 1e-5 relative (|a - b| <= 1e-5 * max(1, |b|)), each integer output exactly.
Prints one line per case with the largest relative difference; exits 1 if any case fails.
"""
import json, sys
import numpy as np
import onnx
import onnxruntime

cases = json.load(open(sys.argv[1]))
failed = False
worst = 0.0
for case in cases:
    model = onnx.load(case["file"])
    onnx.checker.check_model(model, full_check=True)
    session = onnxruntime.InferenceSession(case["file"], providers=["CPUExecutionProvider"])
    feeds = {}
    for declared in session.get_inputs():
        value = np.load(case["inputs"][declared.name]).astype(np.float32)
        feeds[declared.name] = value.reshape((value.shape[0],) + tuple(declared.shape[1:]))
    names = [output.name for output in session.get_outputs()]
    results = dict(zip(names, session.run(None, feeds)))
    line = []
    for name, path in case["expected"]:
        actual = results[name]
        expected = np.load(path)
        expected = expected.reshape(actual.shape)
        if np.issubdtype(actual.dtype, np.integer):
            ok = bool(np.array_equal(actual, expected.astype(actual.dtype)))
            line.append(f"{name} {'equal' if ok else 'DIFFERENT'}")
        else:
            difference = float(np.max(np.abs(actual.astype(np.float64) - expected) / np.maximum(1.0, np.abs(expected))))
            ok = difference <= 1e-5 and bool(np.all(np.isfinite(actual)))
            worst = max(worst, difference)
            line.append(f"{name} {difference:.2e}")
        failed = failed or not ok
    print(f"{case['file']}: " + ", ".join(line))
print(f"largest relative difference {worst:.3g}")
sys.exit(1 if failed else 0)
