import assert from 'node:assert/strict';
import {
  equalIgnoringHash,
  podTemplateHash,
  selectorWithHash,
  templateWithHash,
} from '../../../hub/controllers/deployment/pod-template-hash.js';

const template = () => ({
  metadata: { labels: { app: 'web', tier: 'front' } },
  spec: { containers: [{ name: 'app', image: 'nginx:1.27', ports: [{ containerPort: 80 }] }] },
});

describe('pod-template-hash', () => {
  it('is stable: the same template always hashes the same, whatever the key order', () => {
    const a = template();
    const b = {
      spec: { containers: [{ ports: [{ containerPort: 80 }], image: 'nginx:1.27', name: 'app' }] },
      metadata: { labels: { tier: 'front', app: 'web' } },
    };
    assert.equal(podTemplateHash(a), podTemplateHash(b));
    assert.equal(podTemplateHash(a), podTemplateHash(structuredClone(a)));
  });

  it('ignores what a Go round trip adds or drops: nulls, empty maps and empty lists', () => {
    const roundTripped = {
      metadata: { creationTimestamp: null, labels: { app: 'web', tier: 'front' }, annotations: {} },
      spec: {
        containers: [
          { name: 'app', image: 'nginx:1.27', ports: [{ containerPort: 80 }], resources: {}, env: [] },
        ],
      },
    };
    assert.equal(podTemplateHash(roundTripped), podTemplateHash(template()));
    assert.ok(equalIgnoringHash(roundTripped, template()));
  });

  it('changes with the image, the labels, a restartedAt annotation and the collision count', () => {
    const base = podTemplateHash(template());
    const image = template();
    image.spec.containers[0]!.image = 'nginx:1.28';
    const restarted = {
      ...template(),
      metadata: { ...template().metadata, annotations: { 'kubectl.kubernetes.io/restartedAt': 'now' } },
    };
    const relabeled = template();
    relabeled.metadata.labels.tier = 'back';
    const hashes = [
      base,
      podTemplateHash(image),
      podTemplateHash(restarted),
      podTemplateHash(relabeled),
      podTemplateHash(template(), 1),
    ];
    assert.equal(new Set(hashes).size, hashes.length);
    assert.notEqual(podTemplateHash(template(), 1), podTemplateHash(template(), 2));
  });

  it('is spelled like a generated name: short, no vowels, valid as a label value', () => {
    const hash = podTemplateHash(template());
    assert.match(hash, /^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
  });

  it('compares templates without the hash label', () => {
    const hashed = templateWithHash(template(), 'abc');
    assert.equal(hashed.metadata?.labels?.['pod-template-hash'], 'abc');
    assert.ok(equalIgnoringHash(hashed, template()));
    const other = templateWithHash(template(), 'abc');
    other.spec!.containers = [];
    assert.ok(!equalIgnoringHash(other, template()));
  });

  it('adds the hash to a copy of the selector', () => {
    const selector = { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'Exists' }] };
    assert.deepEqual(selectorWithHash(selector, 'abc'), {
      matchLabels: { app: 'web', 'pod-template-hash': 'abc' },
      matchExpressions: [{ key: 'tier', operator: 'Exists' }],
    });
    assert.deepEqual(selector.matchLabels, { app: 'web' });
  });
});
