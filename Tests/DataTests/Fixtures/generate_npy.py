"""Writes the .npy fixtures of NPYReaderTests with NumPy itself, and expected.json with what the reader must
return for each: the values rounded to float32 (as NumPy's astype(numpy.float32) rounds them), the shape, the
element type and the range in the file's precision.

Run from this folder: python generate_npy.py (needs numpy).
"""
import json
import warnings

import numpy as np

cases = {
    "bool": np.array([[True, False, True], [False, False, True]]),
    "uint8": np.array([[0, 255, 7], [16, 1, 128]], dtype=np.uint8),
    "uint16": np.array([[0, 65535], [300, 2]], dtype=np.uint16),
    "uint32": np.array([[0, 4294967295], [16777217, 3]], dtype=np.uint32),
    "uint64": np.array([[0, 18446744073709551615], [9007199254740993, 5]], dtype=np.uint64),
    "int8": np.array([[-128, 127], [0, -1]], dtype=np.int8),
    "int16": np.array([[-32768, 32767], [12, -7]], dtype=np.int16),
    "int32": np.array([[-2147483648, 2147483647], [16777217, -3]], dtype=np.int32),
    "int64": np.array([[-9223372036854775808, 9223372036854775807], [123456789, -42]], dtype=np.int64),
    "float32": np.array([[0.1, -2.5, 3.4028235e38], [1e-45, -0.0, 7.0]], dtype=np.float32),
    "float64": np.array([[0.1, -2.5, 1e300], [5e-324, 1 / 3, -7.25]], dtype=np.float64),
    # Three dimensions (images): flattened after the first.
    "uint8_images": np.arange(2 * 3 * 4, dtype=np.uint8).reshape(2, 3, 4),
    # One dimension (labels).
    "int64_labels": np.array([3, 0, 9, 1], dtype=np.int64),
}

# float64 1e300 becomes inf in single precision, on purpose.
warnings.filterwarnings("ignore", "overflow encountered in cast")

expected = {}
for name, array in cases.items():
    np.save(f"npy/{name}.npy", array)
    flat = array.reshape(-1)
    expected[name] = {
        "shape": list(array.shape),
        "element_type": str(array.dtype),
        # Numbers as repr() text ("inf" included), so that Double(String) reads them back exactly.
        "values": [repr(float(v)) for v in flat.astype(np.float32)],
        # The range in the file's precision, as a double (Python's float() of the NumPy scalar).
        "minimum": repr(float(flat.min())),
        "maximum": repr(float(flat.max())),
    }

# Format versions 2.0 and 3.0 hold the same array.
for version in [(2, 0), (3, 0)]:
    name = f"float32_version{version[0]}"
    with open(f"npy/{name}.npy", "wb") as file:
        np.lib.format.write_array(file, cases["float32"], version=version)
    expected[name] = dict(expected["float32"])

# Refused: big-endian, Fortran order, complex, a structured dtype.
np.save("npy/big_endian.npy", np.array([[1.0, 2.0]], dtype=">f4"))
np.save("npy/fortran.npy", np.asfortranarray(np.arange(6, dtype=np.float32).reshape(2, 3)))
np.save("npy/complex.npy", np.array([[1 + 2j]], dtype=np.complex64))
np.save("npy/structured.npy", np.zeros(2, dtype=[("x", "<f4"), ("y", "<i4")]))

with open("npy/expected.json", "w") as file:
    json.dump(expected, file, indent=1, sort_keys=True)
    file.write("\n")
