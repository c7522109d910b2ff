#!/usr/bin/env python3
"""Reads a run folder with the real tensorboard package and prints what TensorBoard sees, as JSON:
every scalar (run, tag, step, value) through EventAccumulator (simple_value scalars), the record count
through the strict CRC-checking reader, and the Custom Scalars layout and HParams session names.

    python read_tensorboard.py RUN_DIR
"""
import glob, json, os, sys
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
from tensorboard.compat.tensorflow_stub.pywrap_tensorflow import PyRecordReader_New
from tensorboard.compat.tensorflow_stub import errors
from tensorboard.compat.proto import event_pb2
from tensorboard.plugins.custom_scalar import layout_pb2

run = sys.argv[1]
records = 0
layout = []
hparams = []
for path in sorted(glob.glob(os.path.join(run, "*tfevents*"))):
    reader = PyRecordReader_New(path)
    while True:
        try:
            reader.GetNext()
        except errors.OutOfRangeError:
            break
        records += 1
        event = event_pb2.Event.FromString(reader.record())
        for value in event.summary.value:
            if value.tag == "custom_scalars__config__":
                parsed = layout_pb2.Layout.FromString(value.tensor.string_val[0])
                layout += [[c.title, [[ch.title, list(ch.multiline.tag)] for ch in c.chart]] for c in parsed.category]
            if value.tag.startswith("_hparams_/"):
                hparams.append(value.tag)
accumulator = EventAccumulator(run, size_guidance={"scalars": 0})
accumulator.Reload()
scalars = {tag: [[e.step, e.value] for e in accumulator.Scalars(tag)] for tag in accumulator.Tags()["scalars"]}
print(json.dumps({"records": records, "scalars": scalars, "layout": layout, "hparams": hparams}))
