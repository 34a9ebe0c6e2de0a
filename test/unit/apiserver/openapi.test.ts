import assert from 'node:assert/strict';
import { groupVersion } from '../../../api/resources.js';
import {
  groupVersionPath,
  openApiDocument,
  openApiDocumentHash,
  openApiDocumentJson,
  openApiIndex,
} from '../../../hub/apiserver/openapi/openapi.js';
import { apiSchemaName } from '../../../hub/apiserver/openapi/schema-builders.js';
import { referencedSchemas, schemaClosure } from '../../../hub/apiserver/openapi/schema-registry.js';
import { servedResources as resources } from '../../../hub/kinds/builtin-kinds.js';
import { resolve, schemaAt } from './openapi-schema-walk.js';

type Json = Record<string, any>;

const doc = (path: string) => openApiDocument(path) as Json;
const kindSchema = (info: (typeof resources)[number]) =>
  doc(groupVersionPath(info)).components.schemas[apiSchemaName(info.group, info.version, info.kind)] as Json;

function operationsOf(document: Json): Json[] {
  return Object.values(document.paths as Record<string, Json>).flatMap((item) =>
    ['get', 'put', 'post', 'patch', 'delete'].map((method) => item[method]).filter(Boolean),
  );
}

describe('OpenAPI v3 documents', () => {
  it('indexes one document per served group version, with a hash in its URL', () => {
    const index = openApiIndex();
    const expected = [...new Set(resources.map((r) => groupVersionPath(r)))].sort();
    assert.deepEqual(Object.keys(index.paths).sort(), expected);
    for (const [path, entry] of Object.entries(index.paths)) {
      assert.equal(entry.serverRelativeURL, `/openapi/v3/${path}?hash=${openApiDocumentHash(path)}`);
      assert.match(entry.serverRelativeURL, /\?hash=[0-9A-F]{128}$/);
    }
  });

  it('keeps hashes stable and serves the JSON the hash was taken of', () => {
    assert.equal(openApiDocumentHash('apis/apps/v1'), openApiDocumentHash('apis/apps/v1'));
    assert.notEqual(openApiDocumentHash('apis/apps/v1'), openApiDocumentHash('api/v1'));
    assert.deepEqual(
      JSON.parse(openApiDocumentJson('apis/apps/v1') ?? 'null'),
      openApiDocument('apis/apps/v1'),
    );
  });

  it('finds documents with or without slashes and nothing for unknown group versions', () => {
    assert.equal(openApiDocument('/apis/apps/v1/'), openApiDocument('apis/apps/v1'));
    assert.equal(openApiDocument('apis/policy/v1'), undefined);
    assert.equal(openApiDocumentHash('apis/nope/v1'), undefined);
  });

  it('is an OpenAPI 3.0 document whose every $ref resolves inside it', () => {
    for (const path of Object.keys(openApiIndex().paths)) {
      const document = doc(path);
      assert.equal(document.openapi, '3.0.0');
      for (const name of referencedSchemas(document)) {
        assert.ok(document.components.schemas[name], `${path}: ${name} is referenced but missing`);
      }
    }
  });

  it('refuses to build a closure over an undefined schema', () => {
    assert.throws(
      () => schemaClosure(['io.k8s.api.core.v1.Nope']),
      /io\.k8s\.api\.core\.v1\.Nope is referenced but not defined/,
    );
  });

  // Reviews (SelfSubjectAccessReview and kin) are create-only: one POST on the collection.
  const reviews = resources.filter((info) => info.verbs.length === 1 && info.verbs[0] === 'create');
  for (const info of reviews) {
    it(`offers ${groupVersion(info)} ${info.kind} as a POST only`, () => {
      const document = doc(groupVersionPath(info));
      // LocalSubjectAccessReview is namespaced: its collection is under a namespace.
      const scope = info.namespaced ? 'namespaces/{namespace}/' : '';
      const collection = `/apis/${info.group}/${info.version}/${scope}${info.resource}`;
      assert.deepEqual(
        Object.keys(document.paths[collection]).filter((k) => k !== 'parameters'),
        ['post'],
      );
      assert.equal(document.paths[collection].post['x-kubernetes-action'], 'post');
      assert.equal(document.paths[`${collection}/{name}`], undefined);
      assert.deepEqual(kindSchema(info)['x-kubernetes-group-version-kind'], [
        { group: info.group, version: info.version, kind: info.kind },
      ]);
    });
  }

  // metrics.k8s.io: read from the gateways, get and list only.
  const readOnly = resources.filter((info) => info.verbs.join() === 'get,list');
  for (const info of readOnly) {
    it(`${groupVersion(info)} ${info.kind} has get and list paths only`, () => {
      const document = doc(groupVersionPath(info));
      const root = `/apis/${info.group}/${info.version}`;
      const collection = info.namespaced
        ? `${root}/namespaces/{namespace}/${info.resource}`
        : `${root}/${info.resource}`;
      assert.equal(document.paths[collection].get['x-kubernetes-action'], 'list');
      assert.equal(document.paths[collection].post, undefined);
      assert.equal(document.paths[`${collection}/{name}`].get['x-kubernetes-action'], 'get');
      assert.equal(document.paths[`${collection}/{name}`].patch, undefined);
      assert.equal(document.paths[`${collection}/{name}`].delete, undefined);
      assert.deepEqual(kindSchema(info)['x-kubernetes-group-version-kind'], [
        { group: info.group, version: info.version, kind: info.kind },
      ]);
    });
  }

  for (const info of resources.filter((r) => !reviews.includes(r) && !readOnly.includes(r))) {
    describe(`${groupVersion(info)} ${info.kind}`, () => {
      const document = doc(groupVersionPath(info));
      const root = info.group === '' ? `/api/${info.version}` : `/apis/${info.group}/${info.version}`;
      const collection = info.namespaced
        ? `${root}/namespaces/{namespace}/${info.resource}`
        : `${root}/${info.resource}`;
      const gvk = { group: info.group, version: info.version, kind: info.kind };

      it('has collection and item paths tagged with its kind and action', () => {
        const list = document.paths[collection]?.get;
        const create = document.paths[collection]?.post;
        const item = document.paths[`${collection}/{name}`];
        assert.deepEqual(list['x-kubernetes-group-version-kind'], gvk);
        assert.equal(list['x-kubernetes-action'], 'list');
        assert.equal(create['x-kubernetes-action'], 'post');
        assert.equal(item.get['x-kubernetes-action'], 'get');
        assert.equal(item.put['x-kubernetes-action'], 'put');
        assert.equal(item.delete['x-kubernetes-action'], 'delete');
        if (info.namespaced)
          assert.equal(document.paths[`${root}/${info.resource}`].get['x-kubernetes-action'], 'list');
        assert.equal(
          document.paths[collection].delete?.['x-kubernetes-action'],
          info.verbs.includes('deletecollection') ? 'deletecollection' : undefined,
        );
      });

      it('has a PATCH operation that accepts strategic merge patch and fieldValidation', () => {
        const patch = document.paths[`${collection}/{name}`].patch;
        assert.deepEqual(patch['x-kubernetes-group-version-kind'], gvk);
        assert.equal(patch['x-kubernetes-action'], 'patch');
        assert.ok(patch.requestBody.content['application/strategic-merge-patch+json']);
        assert.ok(patch.parameters.some((p: Json) => p.name === 'fieldValidation' && p.in === 'query'));
      });

      it('has a component schema carrying its group-version-kind, with metadata', () => {
        const schema = kindSchema(info);
        assert.deepEqual(schema['x-kubernetes-group-version-kind'], [gvk]);
        assert.equal(schema.type, 'object');
        for (const field of ['apiVersion', 'kind', 'metadata']) assert.ok(schema.properties[field], field);
        const metadata = resolve(document, schema.properties.metadata) as Json | undefined;
        assert.equal(metadata?.properties.name.type, 'string');
        const list = document.components.schemas[apiSchemaName(info.group, info.version, `${info.kind}List`)];
        assert.equal(list['x-kubernetes-group-version-kind'][0].kind, `${info.kind}List`);
      });
    });
  }

  it('writes operations with an id, a 200 response and query parameters', () => {
    for (const path of Object.keys(openApiIndex().paths)) {
      for (const op of operationsOf(doc(path))) {
        assert.match(op.operationId, /^(list|create|read|replace|patch|delete)[A-Z]/);
        assert.ok(op.responses['200']);
      }
    }
    assert.ok(
      doc('api/v1').paths['/api/v1/namespaces/{namespace}/pods/{name}'].patch.operationId ===
        'patchCoreV1NamespacedPod',
    );
    assert.ok(doc('api/v1').paths['/api/v1/nodes'].get.operationId === 'listCoreV1Node');
  });

  it('tags the status subresource with the kind and scale with autoscaling/v1 Scale', () => {
    const apps = doc('apis/apps/v1');
    const base = '/apis/apps/v1/namespaces/{namespace}/deployments/{name}';
    assert.equal(apps.paths[`${base}/status`].patch['x-kubernetes-group-version-kind'].kind, 'Deployment');
    assert.deepEqual(apps.paths[`${base}/scale`].patch['x-kubernetes-group-version-kind'], {
      group: 'autoscaling',
      version: 'v1',
      kind: 'Scale',
    });
    assert.ok(apps.components.schemas['io.k8s.api.autoscaling.v1.Scale']);
  });

  describe('strategic merge patch metadata', () => {
    const core = doc('api/v1');
    const apps = doc('apis/apps/v1');
    const pod = core.components.schemas['io.k8s.api.core.v1.Pod'];
    const deployment = apps.components.schemas['io.k8s.api.apps.v1.Deployment'];

    const cases: [Json, Json, string, string, string][] = [
      [core, pod, 'spec.containers', 'name', 'merge'],
      [core, pod, 'spec.initContainers', 'name', 'merge'],
      [core, pod, 'spec.containers.ports', 'containerPort', 'merge'],
      [core, pod, 'spec.containers.env', 'name', 'merge'],
      [core, pod, 'spec.containers.volumeMounts', 'mountPath', 'merge'],
      [core, pod, 'spec.volumes', 'name', 'merge,retainKeys'],
      [core, pod, 'metadata.ownerReferences', 'uid', 'merge'],
      [core, pod, 'status.conditions', 'type', 'merge'],
      [apps, deployment, 'spec.template.spec.containers', 'name', 'merge'],
      [apps, deployment, 'spec.template.spec.containers.env', 'name', 'merge'],
      [core, core.components.schemas['io.k8s.api.core.v1.Service'], 'spec.ports', 'port', 'merge'],
    ];
    for (const [document, root, path, key, strategy] of cases) {
      it(`merges ${path} by ${key}`, () => {
        const schema = schemaAt(document, root, path);
        assert.equal(schema?.['x-kubernetes-patch-merge-key'], key);
        assert.equal(schema?.['x-kubernetes-patch-strategy'], strategy);
      });
    }

    it('retains keys of a deployment strategy and merges finalizers as a set', () => {
      assert.equal(
        schemaAt(apps, deployment, 'spec.strategy')?.['x-kubernetes-patch-strategy'],
        'retainKeys',
      );
      assert.equal(schemaAt(core, pod, 'metadata.finalizers')?.['x-kubernetes-patch-strategy'], 'merge');
    });

    it('spells out the nested objects kubectl descends into while diffing a pod template', () => {
      for (const path of [
        'spec.template.spec.containers.resources.limits',
        'spec.template.spec.containers.readinessProbe.httpGet.port',
        'spec.template.spec.containers.securityContext.capabilities.drop',
        'spec.template.spec.containers.env.valueFrom.configMapKeyRef.key',
        'spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms',
        'spec.template.spec.volumes.configMap.items',
        'spec.template.spec.tolerations',
        'spec.strategy.rollingUpdate.maxSurge',
      ]) {
        assert.ok(schemaAt(apps, deployment, path), path);
      }
    });
  });
});
