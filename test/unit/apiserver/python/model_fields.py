# The fields of the official Python client's models (python3-kubernetes, generated from the
# Kubernetes OpenAPI): for each model named on the command line and every model it contains,
# {"Model": {"jsonName": "ChildModel" or null}}, printed as JSON.
import json
import re
import sys

import kubernetes.client.models as models

found = {}


def model_in(type_name):
    inner = re.sub(r"^(list\[|dict\(str, )", "", type_name).rstrip("])")
    return inner if inner[:1] == "V" and hasattr(models, inner) else None


def visit(name):
    if name in found:
        return
    cls = getattr(models, name)
    fields = {}
    found[name] = fields
    for attr, type_name in cls.openapi_types.items():
        child = model_in(type_name)
        fields[cls.attribute_map[attr]] = child
        if child:
            visit(child)


for root in sys.argv[1:]:
    if hasattr(models, root):
        visit(root)
print(json.dumps(found))
