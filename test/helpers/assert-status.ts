// Checks that a refusal is a complete Kubernetes `Status` (meta/v1), as every API error must be.
import assert from 'node:assert/strict';
import type { ApiResponse } from './api-client.js';

export function assertStatus(res: ApiResponse, code: number, reason: string): any {
  assert.equal(res.status, code, `expected ${code} ${reason}, got ${res.status}: ${res.text.slice(0, 300)}`);
  assert.match(String(res.headers['content-type']), /^application\/json/);
  const status = res.json();
  assert.equal(status.kind, 'Status');
  assert.equal(status.apiVersion, 'v1');
  assert.equal(status.status, 'Failure');
  assert.equal(status.reason, reason);
  assert.equal(status.code, code);
  assert.equal(typeof status.message, 'string');
  assert.equal(typeof status.details, 'object', 'a Status carries details');
  return status;
}
