import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { ApiClient } from '../../helpers/api-client.js';
import { startTestHub, type TestHub } from '../../helpers/test-hub.js';

const browser = { Accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };

describe('the web dashboard on the API port', () => {
  let t: TestHub;
  let anonymous: ApiClient;
  before(async () => {
    t = await startTestHub();
    anonymous = t.api.withToken(undefined);
  });
  after(() => t.close());

  it('serves the page at / to a browser, with a content security policy and no data', async () => {
    const res = await anonymous.send('GET', '/', undefined, browser);
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], 'text/html; charset=utf-8');
    assert.equal(res.text, readFileSync('hub/dashboard/static/index.html', 'utf8'));
    const csp = String(res.headers['content-security-policy']);
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'self'/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
  });

  it('serves its scripts and styles with their types, and revalidates them by ETag', async () => {
    const js = await anonymous.send('GET', '/dashboard/app.js');
    assert.equal(js.status, 200);
    assert.equal(js.headers['content-type'], 'text/javascript; charset=utf-8');
    const css = await anonymous.send('GET', '/dashboard/style.css');
    assert.equal(css.headers['content-type'], 'text/css; charset=utf-8');
    const again = await anonymous.send('GET', '/dashboard/app.js', undefined, {
      'If-None-Match': String(js.headers.etag),
    });
    assert.equal(again.status, 304);
    const head = await anonymous.send('HEAD', '/dashboard/app.js');
    assert.equal(head.status, 200);
    assert.equal(head.text, '');
  });

  it('serves nothing outside its own files, however the path is spelled', async () => {
    for (const path of [
      '/dashboard/../../package.json',
      '/dashboard/%2e%2e/%2e%2e/package.json',
      '/dashboard/..%2f..%2fpackage.json',
      '/dashboard/static/app.js',
      '/dashboard/App.js',
      '/dashboard/dashboard-files.ts',
      '/dashboard/missing.js',
    ]) {
      // Left to the API: 401 without credentials, a 404 Status with them; never a file.
      assert.equal((await anonymous.sendRaw('GET', path)).status, 401, path);
      const res = await t.api.sendRaw('GET', path);
      assert.equal(res.status, 404, `${path}: ${res.status} ${res.text}`);
      assert.equal(res.json().kind, 'Status');
    }
    assert.equal((await anonymous.sendRaw('POST', '/dashboard/app.js', {})).status, 401);
  });

  it('leaves / to the API for API clients, and discovery, version and OpenAPI as they were', async () => {
    assert.equal((await anonymous.send('GET', '/', undefined, { Accept: 'application/json' })).status, 401);
    assert.equal((await t.api.send('GET', '/', undefined, { Accept: 'application/json' })).status, 404);
    assert.equal((await t.api.get('/version')).json().major, '1');
    assert.equal((await t.api.get('/api')).json().kind, 'APIVersions');
    assert.equal((await t.api.get('/apis')).json().kind, 'APIGroupList');
    assert.ok((await t.api.get('/openapi/v3')).json().paths['api/v1']);
    assert.equal((await t.api.get('/openapi/v2')).status, 200);
  });

  it('lets nothing of the fleet be read without a token', async () => {
    for (const path of [
      '/api/v1/nodes',
      '/api/v1/pods',
      '/apis/apps/v1/deployments',
      '/api/v1/pods?watch=true',
    ]) {
      assert.equal((await anonymous.get(path)).status, 401, path);
    }
  });
});
