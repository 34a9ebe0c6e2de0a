import assert from 'node:assert/strict';
import { requestInfo } from '../../../hub/apiserver/request-info.js';

const q = (s = '') => new URLSearchParams(s);

describe('requestInfo', () => {
  it('reads a namespaced item with a subresource', () => {
    assert.deepEqual(requestInfo('PUT', '/apis/apps/v1/namespaces/shop/deployments/web/scale', q()), {
      type: 'resource',
      verb: 'update',
      group: 'apps',
      version: 'v1',
      namespace: 'shop',
      resource: 'deployments',
      name: 'web',
      subresource: 'scale',
    });
  });

  it('tells a namespace object from a namespaced collection', () => {
    const ns = requestInfo('GET', '/api/v1/namespaces/shop', q());
    assert.equal(
      ns.type === 'resource' && `${ns.resource}/${ns.name}/${ns.namespace}`,
      'namespaces/shop/undefined',
    );
    const finalize = requestInfo('PUT', '/api/v1/namespaces/shop/finalize', q());
    assert.equal(
      finalize.type === 'resource' && `${finalize.resource}/${finalize.name}/${finalize.subresource}`,
      'namespaces/shop/finalize',
    );
    const pods = requestInfo('GET', '/api/v1/namespaces/shop/pods', q());
    assert.equal(
      pods.type === 'resource' && `${pods.verb} ${pods.resource} in ${pods.namespace}`,
      'list pods in shop',
    );
  });

  it('maps methods and the watch parameter to verbs', () => {
    const verb = (method: string, path: string, query = '') => {
      const info = requestInfo(method, path, q(query));
      return info.type === 'resource' ? info.verb : 'nonresource';
    };
    assert.equal(verb('GET', '/api/v1/pods', 'watch=true'), 'watch');
    assert.equal(verb('GET', '/api/v1/watch/pods'), 'watch');
    assert.equal(verb('GET', '/api/v1/namespaces/a/pods/p', 'watch=1'), 'watch');
    assert.equal(verb('DELETE', '/api/v1/namespaces/a/pods'), 'deletecollection');
    assert.equal(verb('DELETE', '/api/v1/namespaces/a/pods/p'), 'delete');
    assert.equal(verb('PATCH', '/api/v1/nodes/n'), 'patch');
    assert.equal(verb('POST', '/api/v1/namespaces/a/pods'), 'create');
  });

  it('leaves discovery and other paths as non-resource requests', () => {
    for (const path of [
      '/api',
      '/api/v1',
      '/apis',
      '/apis/apps',
      '/apis/apps/v1',
      '/version',
      '/openapi/v3',
    ]) {
      assert.equal(requestInfo('GET', path, q()).type, 'nonresource', path);
    }
  });

  it('refuses malformed percent-encoding with a 400', () => {
    assert.throws(() => requestInfo('GET', '/api/v1/namespaces/%E0%A4%A/pods', q()), {
      reason: 'BadRequest',
    });
  });

  it('reads watch as Go strconv.ParseBool does, and refuses anything else naming the parameter', () => {
    const verb = (query: string) => {
      const info = requestInfo('GET', '/api/v1/pods', q(query));
      return info.type === 'resource' ? info.verb : info.type;
    };
    for (const yes of ['1', 't', 'T', 'TRUE', 'true', 'True', ''])
      assert.equal(verb(`watch=${yes}`), 'watch', yes);
    for (const no of ['0', 'f', 'F', 'FALSE', 'false', 'False'])
      assert.equal(verb(`watch=${no}`), 'list', no);
    assert.throws(() => verb('watch=yes'), { reason: 'BadRequest', message: /^watch: Invalid value: "yes"/ });
  });

  it("refuses dot segments: a name with kube's 400, anywhere else a 404, never resolved", () => {
    assert.throws(() => requestInfo('DELETE', '/api/v1/namespaces/x/configmaps/..', q()), {
      reason: 'BadRequest',
      message: `Name parameter invalid: "..": may not be '..'`,
    });
    assert.throws(() => requestInfo('DELETE', '/api/v1/namespaces/x/configmaps/%2E', q()), {
      reason: 'BadRequest',
      message: `Name parameter invalid: ".": may not be '.'`,
    });
    assert.throws(() => requestInfo('GET', '/api/v1/namespaces/%2e%2e', q()), { reason: 'BadRequest' });
    for (const path of [
      '/api/v1/namespaces/x/%2e/configmaps',
      '/api/v1/namespaces/x%2Fy/configmaps',
      '/apis/apps/%2E%2E/v1/deployments',
      '/api/v1/namespaces/x/pods/p/..',
      '/openapi/v3/../../api',
    ]) {
      assert.throws(() => requestInfo('GET', path, q()), { reason: 'NotFound' }, path);
    }
  });
});
