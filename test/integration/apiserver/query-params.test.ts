import assert from 'node:assert/strict';
import { assertStatus } from '../../helpers/assert-status.js';
import { startTestHub, type TestHub } from '../../helpers/test-hub.js';

const configmaps = '/api/v1/namespaces/default/configmaps';

describe('API server: list and watch query parameters', () => {
  let t: TestHub;
  before(async () => {
    t = await startTestHub();
    await t.api.post(configmaps, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'one' },
      data: {},
    });
  });
  after(async () => {
    await t.close();
  });

  it('reads watch=True (the Python client) as a watch, as Go strconv.ParseBool does', async () => {
    const watch = t.api.stream(`${configmaps}?watch=True&timeoutSeconds=1`);
    await watch.ended;
    assert.ok(
      watch.events.some((e) => e.type === 'ADDED' && e.object.metadata.name === 'one'),
      JSON.stringify(watch.events),
    );
    const list = await t.api.get(`${configmaps}?watch=False`);
    assert.equal(list.json().kind, 'ConfigMapList');
  });

  const refused: [string, string, RegExp][] = [
    ['watch', 'yes', /^watch: Invalid value: "yes": must be a boolean/],
    ['allowWatchBookmarks', 'maybe', /^allowWatchBookmarks: Invalid value: "maybe": must be a boolean/],
    ['labelSelector', 'app in (web', /^labelSelector: Invalid value: "app in \(web": /],
    ['labelSelector', 'a=b=c', /^labelSelector: Invalid value: "a=b=c": /],
    ['fieldSelector', 'metadata.name', /^fieldSelector: Invalid value: "metadata.name": /],
    ['fieldSelector', 'spec.nope=x', /^field label not supported: spec.nope$/],
    ['resourceVersion', 'abc', /^resourceVersion: Invalid value: "abc": must be a resource version/],
    ['timeoutSeconds', '-1', /^timeoutSeconds: Invalid value: "-1": must be greater than or equal to 0$/],
    ['timeoutSeconds', '1.5', /^timeoutSeconds: Invalid value: "1.5": must be an integer$/],
    [
      'timeoutSeconds',
      '99999999999',
      /^timeoutSeconds: Invalid value: "99999999999": must be less than or equal to 2147483$/,
    ],
    ['limit', '-5', /^limit: Invalid value: "-5": must be greater than or equal to 0$/],
    ['limit', 'ten', /^limit: Invalid value: "ten": must be an integer$/],
  ];
  for (const [name, value, message] of refused) {
    for (const mode of ['list', 'watch']) {
      it(`refuses ${name}=${value} on a ${mode} with 400 naming the parameter`, async () => {
        const watchParam = mode === 'watch' && name !== 'watch' ? '&watch=true' : '';
        const res = await t.api.get(`${configmaps}?${name}=${encodeURIComponent(value)}${watchParam}`);
        assert.match(assertStatus(res, 400, 'BadRequest').message, message);
      });
    }
  }

  const combinations: [string, string, string][] = [
    [
      'list',
      'resourceVersionMatch=NotOlderThan',
      'resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided',
    ],
    [
      'list',
      'resourceVersionMatch=Exact&resourceVersion=0',
      'resourceVersionMatch: Forbidden: resourceVersionMatch "exact" is forbidden for resourceVersion "0"',
    ],
    [
      'list',
      'resourceVersionMatch=Newest&resourceVersion=1',
      'resourceVersionMatch: Unsupported value: "Newest": supported values: "Exact", "NotOlderThan", ""',
    ],
    [
      'list',
      'sendInitialEvents=true',
      'sendInitialEvents: Forbidden: sendInitialEvents is forbidden for list',
    ],
    [
      'watch',
      'resourceVersionMatch=NotOlderThan',
      'resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided',
    ],
    [
      'watch',
      'sendInitialEvents=true',
      'resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan',
    ],
  ];
  for (const [mode, query, detail] of combinations) {
    it(`refuses ${query} on a ${mode} with 422 as kube-apiserver words it`, async () => {
      const res = await t.api.get(`${configmaps}?${query}${mode === 'watch' ? '&watch=true' : ''}`);
      const status = assertStatus(res, 422, 'Invalid');
      assert.equal(status.message, `ListOptions.meta.k8s.io "" is invalid: ${detail}`);
      assert.equal(status.details.causes[0].field, detail.split(':')[0]);
    });
  }

  it('serves a list with resourceVersionMatch and a resourceVersion, and a watch-list with sendInitialEvents', async () => {
    const list = await t.api.get(`${configmaps}?resourceVersionMatch=NotOlderThan&resourceVersion=0`);
    assert.equal(list.status, 200, list.text);
    assert.deepEqual(
      list.json().items.map((i: { metadata: { name: string } }) => i.metadata.name),
      ['kube-root-ca.crt', 'one'],
    );
    const watch = t.api.stream(
      `${configmaps}?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true&timeoutSeconds=1`,
    );
    await watch.ended;
    assert.ok(watch.events.some((e) => e.type === 'ADDED' && e.object.metadata.name === 'one'));
  });

  it('refuses bad selectors on deletecollection before deleting anything', async () => {
    const res = await t.api.delete(`${configmaps}?labelSelector=${encodeURIComponent('a in (')}`);
    assertStatus(res, 400, 'BadRequest');
    assert.equal((await t.api.get(`${configmaps}/one`)).status, 200);
  });
});
