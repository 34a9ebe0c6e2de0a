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
});
