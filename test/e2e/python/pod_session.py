"""The official Python client's pod subresources against a Flotilla hub: logs, exec over its
WebSocket protocol (stdin=False, as the client sends it) with the exit code of a failing
command, and, given a pod with a web server on port 8080, an HTTP request through its
port-forward (WebSocket channel protocol). Run by test/e2e/gateway.test.ts with the admin
kubeconfig, the pod, its container and optionally the web pod; prints what it saw as one JSON
object.
"""
import json
import sys
import time

from kubernetes import client, config
from kubernetes.stream import portforward, stream

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
if len(sys.argv) > 4:
    forward = portforward(v1.connect_get_namespaced_pod_portforward, sys.argv[4], "default", ports="8080")
    sock = forward.socket(8080)
    sock.settimeout(20)
    sock.sendall(b"GET /index.html HTTP/1.0\r\nHost: web\r\n\r\n")
    answer = b""
    while True:
        data = sock.recv(65536)
        if not data:
            break
        answer += data
    sock.close()
    seen["forwarded"] = answer.decode(errors="replace")
    seen["forward_error"] = forward.error(8080)
print(json.dumps(seen))
