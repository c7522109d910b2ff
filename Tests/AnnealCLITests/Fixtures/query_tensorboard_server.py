#!/usr/bin/env python3
"""Starts a real TensorBoard server on a loopback port over LOGDIR, asks it what a user would see (runs, scalar
tags, the Custom Scalars layout, the HParams experiment and session groups), prints that as JSON, and stops it.

    python query_tensorboard_server.py LOGDIR PORT true|false      (the last argument is --load_fast)
"""
import json, os, subprocess, sys, time, urllib.request

logdir, port, load_fast = sys.argv[1], sys.argv[2], sys.argv[3]
tensorboard = os.path.join(os.path.dirname(sys.executable), "tensorboard")
log = open(os.path.join(logdir, f"tensorboard-{port}.log"), "w")
server = subprocess.Popen([tensorboard, "--logdir", logdir, "--port", port, "--host", "127.0.0.1", f"--load_fast={load_fast}"],
                          stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
base = f"http://127.0.0.1:{port}"

def get(path, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(base + path, data=data, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())

result = {}
import traceback
try:
    deadline = time.time() + 60
    while True:
        try:
            runs = get("/data/runs")
            tags = get("/data/plugin/scalars/tags")
            if runs and all(tags.get(run) for run in runs):
                break
        except Exception:
            pass
        if time.time() > deadline:
            raise SystemExit("tensorboard did not come up")
        time.sleep(0.5)
    time.sleep(2)  # let the loader finish the files
    result["runs"] = get("/data/runs")
    result["tags"] = {run: sorted(tags) for run, tags in get("/data/plugin/scalars/tags").items()}
    result["layout"] = get("/data/plugin/custom_scalars/layout")
    result["experiment"] = get("/data/plugin/hparams/experiment", {"experimentName": ""})
    result["session_groups"] = get("/data/plugin/hparams/session_groups", {
        "experimentName": "", "allowedStatuses": ["STATUS_UNKNOWN", "STATUS_SUCCESS", "STATUS_FAILURE", "STATUS_RUNNING"],
        "colParams": [], "startIndex": 0, "sliceSize": 100})
except BaseException as error:
    result["error"] = "".join(traceback.format_exception(error))[-2000:]
finally:
    # SIGTERM first; SIGKILL if it is ignored (test runners may start children with signals blocked).
    server.terminate()
    try:
        server.wait(timeout=5)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()
print(json.dumps(result))
