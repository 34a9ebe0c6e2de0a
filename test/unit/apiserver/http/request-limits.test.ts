import assert from 'node:assert/strict';
import {
  InflightLimiter,
  isHealthProbe,
  isLongRunning,
  isMutating,
} from '../../../../hub/apiserver/http/request-limits.js';
import { requestInfo } from '../../../../hub/apiserver/request-info.js';

const info = (method: string, path: string, query = '') =>
  requestInfo(method, path, new URLSearchParams(query));

describe('request limits', () => {
  it('keeps read-only and mutating requests in separate pools, each with its own limit', () => {
    const limiter = new InflightLimiter({ maxRequestsInflight: 2, maxMutatingRequestsInflight: 1 });
    const write = limiter.tryAcquire(true);
    assert.ok(write);
    assert.equal(limiter.tryAcquire(true), undefined);
    const reads = [limiter.tryAcquire(false), limiter.tryAcquire(false)];
    assert.ok(reads.every(Boolean));
    assert.equal(limiter.tryAcquire(false), undefined);
    write();
    write(); // releasing twice frees one slot only
    assert.ok(limiter.tryAcquire(true));
    assert.equal(limiter.tryAcquire(true), undefined);
    reads[0]?.();
    assert.ok(limiter.tryAcquire(false));
  });

  it('treats a limit of 0 as no limit, as kube-apiserver does', () => {
    const limiter = new InflightLimiter({ maxRequestsInflight: 0, maxMutatingRequestsInflight: 0 });
    for (let i = 0; i < 1000; i++) assert.ok(limiter.tryAcquire(i % 2 === 0));
  });

  it('counts watches and log, exec, attach, port-forward and proxy as long-running', () => {
    assert.ok(isLongRunning(info('GET', '/api/v1/pods', 'watch=true')));
    assert.ok(isLongRunning(info('GET', '/api/v1/watch/namespaces/a/pods')));
    for (const sub of ['log', 'exec', 'attach', 'portforward', 'proxy']) {
      assert.ok(isLongRunning(info('GET', `/api/v1/namespaces/a/pods/p/${sub}`)), sub);
    }
    assert.ok(!isLongRunning(info('GET', '/api/v1/pods')));
    assert.ok(!isLongRunning(info('GET', '/version')));
  });

  it('tells mutating verbs from read-only ones, and health probes from the rest', () => {
    assert.ok(isMutating(info('POST', '/api/v1/namespaces/a/pods')));
    assert.ok(isMutating(info('DELETE', '/api/v1/namespaces/a/pods')));
    assert.ok(!isMutating(info('GET', '/api/v1/namespaces/a/pods/p')));
    assert.ok(!isMutating(info('GET', '/openapi/v2')));
    assert.ok(isHealthProbe('/healthz') && isHealthProbe('/readyz/ping') && isHealthProbe('/livez'));
    assert.ok(!isHealthProbe('/healthzz') && !isHealthProbe('/api/v1/healthz'));
  });
});
