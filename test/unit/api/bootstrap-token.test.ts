import assert from 'node:assert/strict';
import {
  bootstrapTokenPattern,
  bootstrapTokenSecret,
  generateBootstrapToken,
  isExpired,
  parseBootstrapToken,
  readBootstrapTokenSecret,
} from '../../../api/bootstrap-token.js';
import type { KubeObject } from '../../../api/types.js';
import { secretHooks } from '../../../hub/apiserver/registry/secret-hooks.js';

/** The Secret as the API server stores it (stringData folded into base64 data). */
function stored(secret: KubeObject): KubeObject {
  const copy = structuredClone(secret);
  secretHooks.normalize!(copy);
  return copy;
}

describe('bootstrap tokens in kubeadm format', () => {
  it("generates tokens matching kubeadm's [a-z0-9]{6}.[a-z0-9]{16}", () => {
    const tokens = new Set(Array.from({ length: 50 }, () => generateBootstrapToken()));
    assert.equal(tokens.size, 50);
    for (const token of tokens) assert.match(token, bootstrapTokenPattern);
    assert.deepEqual(parseBootstrapToken('abcdef.0123456789abcdef'), {
      id: 'abcdef',
      secret: '0123456789abcdef',
    });
    assert.equal(parseBootstrapToken('ABCDEF.0123456789abcdef'), undefined);
    assert.equal(parseBootstrapToken('abcdef:0123456789abcdef'), undefined);
  });

  it('writes the Secret kubeadm writes, and reads it back', () => {
    const expiration = new Date('2030-01-02T03:04:05.678Z');
    const secret = bootstrapTokenSecret({
      id: 'abcdef',
      secret: '0123456789abcdef',
      expiration,
      description: 'hall 3',
      usages: ['authentication', 'signing'],
    });
    assert.equal(secret.metadata.name, 'bootstrap-token-abcdef');
    assert.equal(secret.metadata.namespace, 'kube-system');
    assert.equal(secret.type, 'bootstrap.kubernetes.io/token');
    assert.deepEqual(secret.stringData, {
      'token-id': 'abcdef',
      'token-secret': '0123456789abcdef',
      'auth-extra-groups': 'system:bootstrappers:kubeadm:default-node-token',
      expiration: '2030-01-02T03:04:05Z',
      description: 'hall 3',
      'usage-bootstrap-authentication': 'true',
      'usage-bootstrap-signing': 'true',
    });
    const read = readBootstrapTokenSecret(stored(secret));
    assert.ok(typeof read !== 'string');
    assert.equal(read.expiration?.toISOString(), '2030-01-02T03:04:05.000Z');
    assert.deepEqual(read.usages, ['authentication', 'signing']);
    assert.equal(isExpired(read, new Date('2030-01-02T03:04:04Z')), false);
    assert.equal(isExpired(read, new Date('2030-01-02T03:04:05Z')), true);
  });

  it('refuses Secrets that are not well-formed tokens, and counts an unreadable expiry as expired', () => {
    const good = stored(
      bootstrapTokenSecret({ id: 'abcdef', secret: '0123456789abcdef', usages: ['authentication'] }),
    );
    assert.match(readBootstrapTokenSecret({ ...good, type: 'Opaque' }) as string, /type is not/);
    assert.match(
      readBootstrapTokenSecret({
        ...good,
        metadata: { ...good.metadata, name: 'bootstrap-token-zzzzzz' },
      }) as string,
      /name is not bootstrap-token-abcdef/,
    );
    const noExpiry = readBootstrapTokenSecret(good);
    assert.ok(typeof noExpiry !== 'string' && noExpiry.expiration === undefined);
    const garbled = {
      ...good,
      data: { ...(good.data as object), expiration: Buffer.from('soon').toString('base64') },
    };
    const read = readBootstrapTokenSecret(garbled);
    assert.ok(typeof read !== 'string' && isExpired(read, new Date()));
  });
});
