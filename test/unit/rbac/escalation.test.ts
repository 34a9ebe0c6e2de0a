import assert from 'node:assert/strict';
import { breakDown, compactString, escalationMessage, uncoveredRules } from '../../../api/rbac/escalation.js';

describe('RBAC escalation check', () => {
  const podsReadWrite = { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'create'] };

  it('covers a rule with the same or fewer verbs', () => {
    assert.deepEqual(
      uncoveredRules([podsReadWrite], [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }]),
      [],
    );
  });

  it('reports the verbs and resources the writer lacks, compacted by resource', () => {
    const missing = uncoveredRules(
      [podsReadWrite],
      [{ apiGroups: [''], resources: ['pods', 'secrets'], verbs: ['get', 'delete'] }],
    );
    assert.deepEqual(missing.map(compactString), [
      '{APIGroups:[""], Resources:["pods"], Verbs:["delete"]}',
      '{APIGroups:[""], Resources:["secrets"], Verbs:["get" "delete"]}',
    ]);
  });

  it('covers anything with * and nothing with a narrower grant', () => {
    const all = [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }];
    assert.deepEqual(
      uncoveredRules(all, [{ apiGroups: ['apps'], resources: ['deployments/scale'], verbs: ['update'] }]),
      [],
    );
    // Holding pods does not cover '*' resources.
    assert.equal(
      uncoveredRules([podsReadWrite], [{ apiGroups: [''], resources: ['*'], verbs: ['get'] }]).length,
      1,
    );
    // Nor the core group another group.
    assert.equal(
      uncoveredRules([podsReadWrite], [{ apiGroups: ['apps'], resources: ['pods'], verbs: ['get'] }]).length,
      1,
    );
  });

  it('treats subresources apart, with */sub covering each resource of that subresource', () => {
    assert.equal(
      uncoveredRules([podsReadWrite], [{ apiGroups: [''], resources: ['pods/exec'], verbs: ['create'] }])
        .length,
      1,
    );
    const anyScale = [{ apiGroups: ['apps'], resources: ['*/scale'], verbs: ['update'] }];
    assert.deepEqual(
      uncoveredRules(anyScale, [
        { apiGroups: ['apps'], resources: ['deployments/scale'], verbs: ['update'] },
      ]),
      [],
    );
  });

  it('covers named objects by an unnamed grant, but not the reverse', () => {
    const named = { apiGroups: [''], resources: ['configmaps'], resourceNames: ['settings'], verbs: ['get'] };
    const unnamed = { apiGroups: [''], resources: ['configmaps'], verbs: ['get'] };
    assert.deepEqual(uncoveredRules([unnamed], [named]), []);
    assert.deepEqual(uncoveredRules([named], [unnamed]).map(compactString), [
      '{APIGroups:[""], Resources:["configmaps"], Verbs:["get"]}',
    ]);
    assert.deepEqual(uncoveredRules([named], [named]), []);
  });

  it('covers non-resource URLs by exact or prefix grants', () => {
    const owner = [{ nonResourceURLs: ['/apis/*', '/healthz'], verbs: ['get'] }];
    assert.deepEqual(
      uncoveredRules(owner, [{ nonResourceURLs: ['/apis/apps', '/healthz'], verbs: ['get'] }]),
      [],
    );
    assert.deepEqual(
      uncoveredRules(owner, [{ nonResourceURLs: ['/metrics'], verbs: ['get'] }]).map(compactString),
      ['{NonResourceURLs:["/metrics"], Verbs:["get"]}'],
    );
  });

  it('breaks a rule into one permission per verb, group, resource and name', () => {
    assert.equal(
      breakDown({
        apiGroups: ['', 'apps'],
        resources: ['a', 'b'],
        resourceNames: ['x', 'y'],
        verbs: ['get', 'list'],
      }).length,
      16,
    );
  });

  it('says who lacks what as Kubernetes does', () => {
    assert.equal(
      escalationMessage({ name: 'erin', groups: ['team', 'system:authenticated'] }, [
        { apiGroups: [''], resources: ['nodes'], verbs: ['get'] },
      ]),
      'user "erin" (groups=["team" "system:authenticated"]) is attempting to grant RBAC permissions not currently held:\n{APIGroups:[""], Resources:["nodes"], Verbs:["get"]}',
    );
  });
});
