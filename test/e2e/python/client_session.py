"""The official Python client (Debian's python3-kubernetes) against a Flotilla hub.

Run by test/e2e/python-client.test.ts with the hub's admin kubeconfig. It does what a user's
script does — typed CRUD, a list then a watch from the list's resourceVersion with a server-side
timeout, reading Nodes, a CRD and its custom objects — and prints what it saw as one JSON object; the test asserts on it.
"""
import json
import sys
import time

from kubernetes import client, config, watch
from kubernetes.client.rest import ApiException

config.load_kube_config(config_file=sys.argv[1])
v1 = client.CoreV1Api()
seen = {}

v1.create_namespace(client.V1Namespace(metadata=client.V1ObjectMeta(name="py")))
listed = v1.list_namespaced_config_map("py")
# Every namespace gets kube-root-ca.crt (as in Kubernetes), maybe just after the list: not ours.
root_ca = "kube-root-ca.crt"
seen["initial_items"] = len([c for c in listed.items if c.metadata.name != root_ca])
start_rv = listed.metadata.resource_version

created = v1.create_namespaced_config_map(
    "py",
    client.V1ConfigMap(metadata=client.V1ObjectMeta(name="cfg", labels={"app": "py"}), data={"a": "1"}),
)
seen["created_uid"] = bool(created.metadata.uid)
patched = v1.patch_namespaced_config_map("cfg", "py", {"data": {"b": "2"}})
seen["patched_data"] = patched.data
replaced_body = v1.read_namespaced_config_map("cfg", "py")
replaced_body.data = {"c": "3"}
replaced = v1.replace_namespaced_config_map("cfg", "py", replaced_body)
seen["replaced_data"] = replaced.data
seen["by_label"] = [i.metadata.name for i in v1.list_namespaced_config_map("py", label_selector="app=py").items]
v1.delete_namespaced_config_map("cfg", "py")
try:
    v1.read_namespaced_config_map("cfg", "py")
    seen["after_delete"] = "found"
except ApiException as err:
    seen["after_delete"] = err.status
    seen["after_delete_reason"] = json.loads(err.body).get("reason")

# A watch from the list's resourceVersion replays what happened since; the server ends it after
# timeout_seconds, which ends the stream.
events = []
for event in watch.Watch().stream(
    v1.list_namespaced_config_map, "py", resource_version=start_rv, timeout_seconds=2
):
    if event["object"].metadata.name != root_ca:
        events.append([event["type"], event["object"].metadata.name])
seen["watch_events"] = events

# As a gateway registers it: a nodeInfo without kubeProxyVersion, systemUUID and the rest, which
# the client's model requires (ValueError on reading) unless the hub fills them in.
node = {
    "apiVersion": "v1",
    "kind": "Node",
    "metadata": {"name": "py-gw", "labels": {"kubernetes.io/arch": "arm64"}},
    "status": {"nodeInfo": {"architecture": "arm64", "operatingSystem": "linux", "kubeletVersion": "flotilla"}},
}
v1.create_node(node)
read = v1.read_node("py-gw")
seen["node_arch"] = read.status.node_info.architecture
seen["nodes"] = sorted(n.metadata.name for n in v1.list_node().items)

# A CustomResourceDefinition through the typed apiextensions client (its model requires the
# status the hub reports), then its objects through CustomObjectsApi, as operators do.
ext = client.ApiextensionsV1Api()
ext.create_custom_resource_definition({
    "apiVersion": "apiextensions.k8s.io/v1",
    "kind": "CustomResourceDefinition",
    "metadata": {"name": "valves.plant.example.com"},
    "spec": {
        "group": "plant.example.com",
        "scope": "Namespaced",
        "names": {"plural": "valves", "kind": "Valve"},
        "versions": [{
            "name": "v1", "served": True, "storage": True,
            "schema": {"openAPIV3Schema": {"type": "object", "properties": {"spec": {
                "type": "object", "properties": {"open": {"type": "boolean", "default": False}},
            }}}},
        }],
    },
})
for _ in range(100):
    crd = ext.read_custom_resource_definition("valves.plant.example.com")
    conditions = {c.type: c.status for c in (crd.status.conditions or [])} if crd.status else {}
    if conditions.get("Established") == "True":
        break
    time.sleep(0.1)
seen["crd_established"] = conditions.get("Established")
seen["crd_accepted_kind"] = crd.status.accepted_names.kind
custom = client.CustomObjectsApi()
valve = {"apiVersion": "plant.example.com/v1", "kind": "Valve", "metadata": {"name": "v-1"}, "spec": {}}
seen["valve_created_open"] = custom.create_namespaced_custom_object("plant.example.com", "v1", "py", "valves", valve)["spec"]["open"]
seen["valve_patched_open"] = custom.patch_namespaced_custom_object(
    "plant.example.com", "v1", "py", "valves", "v-1", {"spec": {"open": True}})["spec"]["open"]
seen["valves"] = [v["metadata"]["name"] for v in custom.list_namespaced_custom_object("plant.example.com", "v1", "py", "valves")["items"]]
custom.delete_namespaced_custom_object("plant.example.com", "v1", "py", "valves", "v-1")
seen["valves_after_delete"] = len(custom.list_namespaced_custom_object("plant.example.com", "v1", "py", "valves")["items"])
print(json.dumps(seen))
