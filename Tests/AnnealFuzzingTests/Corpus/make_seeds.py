"""Writes the hand-made seed inputs of the fuzz targets (run from this folder: python3 make_seeds.py).

Each target's folder also holds seeds copied from the project: examples/*.json for json and run-config, the
.npy fixtures of the data tests, the PNG fixtures of the data tests (png/, written by Pillow), and the checkpoints that AnnealFuzzingTests writes (checkpoint/format2-*).
A CSV input starts with one control byte (label column and buffer size, see FuzzTarget.csv).
"""
import os
import shutil
import struct

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.abspath(os.path.join(here, "..", "..", ".."))


def write(target, name, data):
    os.makedirs(os.path.join(here, target), exist_ok=True)
    with open(os.path.join(here, target, name), "wb") as file:
        file.write(data if isinstance(data, bytes) else data.encode())


def npy(header, data=b"", version=1):
    text = header
    prefix = 10 if version == 1 else 12
    while (prefix + len(text) + 1) % 64:
        text += " "
    text += "\n"
    size = struct.pack("<H", len(text)) if version == 1 else struct.pack("<I", len(text))
    return b"\x93NUMPY" + bytes([version, 0]) + size + text.encode() + data


def idx(code, shape, data=b""):
    return bytes([0, 0, code, len(shape)]) + b"".join(struct.pack(">I", n) for n in shape) + data


# JSON: the examples, and edge cases of the grammar.
for name in sorted(os.listdir(os.path.join(root, "examples"))):
    for target in ["json", "run-config"]:
        os.makedirs(os.path.join(here, target), exist_ok=True)
        shutil.copy(os.path.join(root, "examples", name), os.path.join(here, target, name))
json_cases = {
    "nesting.json": '{"a": [1, -2.5e-3, true, false, null, {"b": "\\u00e9\\n\\ud83d\\ude00"}], "c": {}}',
    "numbers.json": "[0, -0, 1e999, -1E-400, 123456789012345678901234567890, NaN, Infinity, -Infinity, 0.1]",
    "duplicate.json": '{"x": 1, "x": 2}',
    "deep.json": "[" * 300 + "]" * 300,
    "bom.json": "\ufeff{}",
    "strings.json": '["\\"", "\\\\", "\\/", "\\b\\f\\n\\r\\t", "\\u0000", "tab\\there"]',
}
for name, text in json_cases.items():
    write("json", name, text)
write("run-config", "csv_data.json", '{"data": {"source": "csv", "path": "d.csv", "label_column": 2}, "model": {"type": "cvae"}}')
write("run-config", "capacity.json", '{"data": {"source": "shapes"}, "training": {"capacity": {"gamma": 1000, "schedule": {"type": "linear", "max_beta": 25, "warmup_epochs": 100}}}}')

# .npy: every element type, the crash cases, header variants.
types = {"|b1": b"\x01\x00", "|u1": b"\x00\xff", "<u2": b"\x00\x00\xff\xff", "<u4": bytes(8), "<u8": bytes(16), "|i1": b"\x80\x7f",
         "<i2": bytes(4), "<i4": bytes(8), "<i8": bytes(16), "<f4": struct.pack("<2f", 0.5, -1), "<f8": struct.pack("<2d", 0.5, float("nan"))}
for descr, data in types.items():
    write("npy", "type" + descr.replace("<", "_").replace("|", "_") + ".npy", npy("{'descr': '%s', 'fortran_order': False, 'shape': (1, 2), }" % descr, data))
for name, shape in {"negative": "(-1, 10)", "overflow_count": "(4294967296, 4294967296)", "overflow_4d": "(65536, 65536, 65536, 65536)",
                    "overflow_bytes": "(2305843009213693952,)", "scalar": "()", "empty": "(0, 5)", "python2": "(2L,)"}.items():
    write("npy", name + ".npy", npy("{'descr': '<f4', 'fortran_order': False, 'shape': %s, }" % shape, bytes(8)))
write("npy", "version2.npy", npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", bytes(8), version=2))
write("npy", "version3.npy", npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", bytes(8), version=3))
write("npy", "duplicate_key.npy", npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'shape': (2,)}", bytes(8)))
write("npy", "fortran_x.npy", npy("{'descr': '<f4', 'fortran_order': 'x', 'shape': (2,)}", bytes(8)))
for name in sorted(os.listdir(os.path.join(root, "Tests", "DataTests", "Fixtures", "npy"))):
    if name.endswith(".npy"):
        shutil.copy(os.path.join(root, "Tests", "DataTests", "Fixtures", "npy", name), os.path.join(here, "npy", "numpy_" + name))

# IDX: every type, MNIST-like, the crash cases.
for code, size in {0x08: 1, 0x09: 1, 0x0B: 2, 0x0C: 4, 0x0D: 4, 0x0E: 8}.items():
    write("idx", "type_%02x.idx" % code, idx(code, [2, 2], bytes(range(4 * size))))
write("idx", "labels.idx", idx(0x08, [3], b"\x07\x02\x01"))
write("idx", "overflow_3d.idx", idx(0x08, [0xFFFFFFFF, 0xFFFFFFFF, 3]))
write("idx", "overflow_4d.idx", idx(0x08, [65536, 65536, 65536, 65536]))
write("idx", "truncated.idx", idx(0x0D, [2, 2], bytes(5)))

# CSV: a control byte (label column = [none, "0", "1", "label", "a", "-1"][b % 6], buffer 16 + b >> 3), then the file.
csv_cases = {
    "header_label.csv": (3, "a,b,label\n0.5,1,2\n-1,2.5,0\n"),
    "plain.csv": (0, "1,2,3\n4,5,6\n"),
    "crlf.csv": (8, "x,y\r\n1e-3,+.5\r\n-0,7.\r\n"),
    "cr.csv": (1, "1,2\r3,4\r"),
    "blank_end.csv": (0, "1\n2\n\n \n\t\n"),
    "blank_middle.csv": (0, "1,2\n\n3,4\n"),
    "ragged.csv": (0, "1,2\n3\n"),
    "words.csv": (0, "1,2\n3,inf\nnan,0x1p3\n"),
    "spaces.csv": (16, " 1 ,\t2\t\n3 , 4\n"),
    "long_digits.csv": (0, "0.1000000000000000055511151231257827021181583404541015625,123456789012345678901234567890\n"),
    "bom.csv": (0, "\ufeffa,b\n1,2\n"),
    "nul.csv": (0, "1,2\n3,4\x00\n"),
    "header_only.csv": (4, "a,b\n"),
    "empty.csv": (0, ""),
    "many_rows.csv": (200, "".join("%d,%d.%d,%de-%d\n" % (i, i, i * 7, i, i % 30) for i in range(40))),
}
for name, (control, text) in csv_cases.items():
    write("csv", name, bytes([control]) + text.encode())
