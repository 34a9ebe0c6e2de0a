import assert from 'node:assert/strict';
import { aggregatedRules } from '../../../api/rbac/aggregation.js';
import { bootstrapClusterRoles } from '../../../api/rbac/bootstrap-policy.js';
import type { KubeObject } from '../../../api/types.js';

const role = (name: string, labels: Record<string, string>, rules: unknown[]): KubeObject => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'ClusterRole',
  metadata: { name, labels },
  rules,
});

describe('ClusterRole aggregation', () => {
  const monitoring = {
    ...role('monitoring', {}, []),
    aggregationRule: {
      clusterRoleSelectors: [{ matchLabels: { 'example.com/aggregate-to-monitoring': 'true' } }],
    },
  };
  const read = { apiGroups: [''], resources: ['pods'], verbs: ['get'] };

  it("gathers the rules of the roles a selector matches, by name, each once, never the role's own", () => {
    const rules = aggregatedRules(monitoring, [
      monitoring,
      role('b-metrics', { 'example.com/aggregate-to-monitoring': 'true' }, [
        read,
        { apiGroups: [''], resources: ['nodes'], verbs: ['list'] },
      ]),
      role('a-pods', { 'example.com/aggregate-to-monitoring': 'true' }, [read]),
      role('unrelated', {}, [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }]),
    ]);
    assert.deepEqual(rules, [read, { apiGroups: [''], resources: ['nodes'], verbs: ['list'] }]);
  });

  it('starts view, edit and admin filled, each holding the one below', () => {
    const named = (name: string) => bootstrapClusterRoles.find((r) => r.metadata.name === name)!;
    const has = (name: string, resource: string, verb: string) =>
      (named(name).rules as { resources?: string[]; verbs: string[] }[]).some(
        (r) => r.resources?.includes(resource) && r.verbs.includes(verb),
      );
    assert.equal(has('view', 'pods', 'list'), true);
    assert.equal(has('view', 'secrets', 'get'), false);
    assert.equal(has('edit', 'pods', 'list'), true);
    assert.equal(has('edit', 'pods/exec', 'create'), true);
    assert.equal(has('edit', 'roles', 'create'), false);
    assert.equal(has('admin', 'roles', 'create'), true);
    assert.equal(has('admin', 'pods/exec', 'create'), true);
  });
});
