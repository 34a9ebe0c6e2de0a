"""The official Python client's pod subresources against a Flotilla hub: logs, and exec over
its WebSocket protocol (stdin=False, as the client sends it), with the exit code of a failing
command. Run by test/e2e/gateway.test.ts with the admin kubeconfig, the pod and its container;
prints what it saw as one JSON object.
"""
import json
import sys
import time

from kubernetes import client, config
from kubernetes.stream import stream

config.load_kube_config(config_file=sys.argv[1])
pod, container = sys.argv[2], sys.argv[3]
v1 = client.CoreV1Api()
seen = {"logs": v1.read_namespaced_pod_log(pod, "default", container=container)}
seen["exec"] = stream(
    v1.connect_get_namespaced_pod_exec,
    pod,
    "default",
    container=container,
    command=["cat", "/config/greeting"],
    stdin=False,
    stdout=True,
    stderr=True,
    tty=False,
)
failing = stream(
    v1.connect_get_namespaced_pod_exec,
    pod,
    "default",
    container=container,
    command=["sh", "-c", "echo err >&2; exit 3"],
    stdin=False,
    stdout=True,
    stderr=True,
    tty=False,
    _preload_content=False,
)
started = time.monotonic()
failing.run_forever(timeout=20)
seen["failing_seconds"] = time.monotonic() - started
seen["failing_stderr"] = failing.read_stderr()
seen["failing_code"] = failing.returncode
failing.close()
print(json.dumps(seen))
