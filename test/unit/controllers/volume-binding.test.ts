import assert from 'node:assert/strict';
import {
  type Claim,
  findBestVolume,
  noVolumeMessage,
  type Volume,
  volumePhase,
} from '../../../hub/controllers/volume/volume-binding.js';

function aVolume(name: string, size: string, changes: Partial<NonNullable<Volume['spec']>> = {}): Volume {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name, uid: `uid-${name}` },
    spec: {
      capacity: { storage: size },
      accessModes: ['ReadWriteOnce'],
      storageClassName: 'local',
      ...changes,
    },
  };
}

function aClaim(size: string, changes: Partial<NonNullable<Claim['spec']>> = {}): Claim {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: 'data', namespace: 'ns', uid: 'claim-uid' },
    spec: {
      accessModes: ['ReadWriteOnce'],
      resources: { requests: { storage: size } },
      storageClassName: 'local',
      ...changes,
    },
  };
}

const nameOf = (v: Volume | undefined) => v?.metadata.name;

describe('Volume binding', () => {
  it('picks the smallest volume that is large enough', () => {
    const volumes = [aVolume('big', '10Gi'), aVolume('small', '500Mi'), aVolume('fits', '2Gi')];
    assert.equal(nameOf(findBestVolume(aClaim('1Gi'), volumes)), 'fits');
  });

  it('needs the same storage class, every access mode asked for, and the same volume mode', () => {
    const claim = aClaim('1Gi', { accessModes: ['ReadWriteOnce', 'ReadOnlyMany'] });
    const volumes = [
      aVolume('other-class', '1Gi', {
        storageClassName: 'fast',
        accessModes: ['ReadWriteOnce', 'ReadOnlyMany'],
      }),
      aVolume('one-mode', '1Gi'),
      aVolume('block', '1Gi', { accessModes: ['ReadWriteOnce', 'ReadOnlyMany'], volumeMode: 'Block' }),
    ];
    assert.equal(findBestVolume(claim, volumes), undefined);
    volumes.push(
      aVolume('right', '5Gi', { accessModes: ['ReadOnlyMany', 'ReadWriteOnce', 'ReadWriteMany'] }),
    );
    assert.equal(nameOf(findBestVolume(claim, volumes)), 'right');
  });

  it('matches a claim without a class only to volumes without one', () => {
    const claim = aClaim('1Gi');
    delete claim.spec!.storageClassName;
    const classless = aVolume('classless', '1Gi');
    delete classless.spec!.storageClassName;
    assert.equal(nameOf(findBestVolume(claim, [aVolume('classy', '1Gi'), classless])), 'classless');
  });

  it('honours the claim selector and skips volumes held by other claims', () => {
    const labelled = aVolume('labelled', '3Gi');
    labelled.metadata.labels = { disk: 'ssd' };
    const held = aVolume('held', '1Gi', { claimRef: { namespace: 'ns', name: 'other', uid: 'x' } });
    const claim = aClaim('1Gi', { selector: { matchLabels: { disk: 'ssd' } } });
    assert.equal(nameOf(findBestVolume(claim, [aVolume('plain', '1Gi'), held, labelled])), 'labelled');
  });

  it('prefers a volume reserved for the claim by name over a smaller free one', () => {
    const reserved = aVolume('reserved', '8Gi', { claimRef: { namespace: 'ns', name: 'data' } });
    assert.equal(nameOf(findBestVolume(aClaim('1Gi'), [aVolume('free', '1Gi'), reserved])), 'reserved');
  });

  it('says why a claim stays Pending', () => {
    assert.equal(
      noVolumeMessage(aClaim('1Gi', { storageClassName: '' })),
      'no persistent volumes available for this claim and no storage class is set',
    );
    assert.match(
      noVolumeMessage(aClaim('1Gi')),
      /storage class "local", and this hub has no dynamic provisioner/,
    );
  });

  it('moves a volume through Available, Bound and Released with its claim', () => {
    const claim = aClaim('1Gi', { volumeName: 'v' });
    assert.equal(volumePhase(aVolume('v', '1Gi'), undefined), 'Available');
    const bound = aVolume('v', '1Gi', { claimRef: { namespace: 'ns', name: 'data', uid: 'claim-uid' } });
    assert.equal(volumePhase(bound, claim), 'Bound');
    assert.equal(volumePhase(bound, undefined), 'Released');
    assert.equal(
      volumePhase(bound, { ...claim, metadata: { ...claim.metadata, uid: 'recreated' } }),
      'Released',
    );
    assert.equal(volumePhase(bound, aClaim('1Gi', { volumeName: 'elsewhere' })), 'Unbind');
  });
});
