import assert from 'node:assert/strict';
import { admitPodServiceAccount, apiAccessVolume } from '../../../api/defaults/service-account-admission.js';
import type { KubeObject } from '../../../api/types.js';

const mountPath = '/var/run/secrets/kubernetes.io/serviceaccount';

function pod(spec: Record<string, unknown>): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'plant' }, spec };
}

function sa(extra: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: 'default', namespace: 'plant' },
    ...extra,
  };
}

const suffixes =
  (...list: string[]) =>
  () =>
    list.shift() ?? 'zzzzz';

describe('ServiceAccount admission of a pod', () => {
  it('defaults the ServiceAccount name, mirrors serviceAccount and mounts the API access volume everywhere', () => {
    const p = pod({
      containers: [{ name: 'a' }],
      initContainers: [{ name: 'i' }],
      ephemeralContainers: [{ name: 'e' }],
    });
    admitPodServiceAccount(p, sa(), suffixes('abcde'));
    const spec = p.spec as any;
    assert.equal(spec.serviceAccountName, 'default');
    assert.equal(spec.serviceAccount, 'default');
    assert.deepEqual(spec.volumes, [apiAccessVolume('kube-api-access-abcde')]);
    const mount = { name: 'kube-api-access-abcde', readOnly: true, mountPath };
    assert.deepEqual(spec.containers[0].volumeMounts, [mount]);
    assert.deepEqual(spec.initContainers[0].volumeMounts, [mount]);
    assert.equal(spec.ephemeralContainers[0].volumeMounts, undefined);
  });

  it('takes the deprecated serviceAccount when serviceAccountName is empty', () => {
    const p = pod({ serviceAccount: 'legacy', containers: [{ name: 'a' }] });
    admitPodServiceAccount(p, sa(), suffixes('abcde'));
    assert.equal((p.spec as any).serviceAccountName, 'legacy');
  });

  it("honours automountServiceAccountToken: the pod's over the ServiceAccount's", () => {
    const offBySa = pod({ containers: [{ name: 'a' }] });
    admitPodServiceAccount(offBySa, sa({ automountServiceAccountToken: false }), suffixes('abcde'));
    assert.equal((offBySa.spec as any).volumes, undefined);
    const onByPod = pod({ automountServiceAccountToken: true, containers: [{ name: 'a' }] });
    admitPodServiceAccount(onByPod, sa({ automountServiceAccountToken: false }), suffixes('abcde'));
    assert.equal((onByPod.spec as any).volumes.length, 1);
    const offByPod = pod({ automountServiceAccountToken: false, containers: [{ name: 'a' }] });
    admitPodServiceAccount(offByPod, sa(), suffixes('abcde'));
    assert.equal((offByPod.spec as any).volumes, undefined);
  });

  it('leaves containers that mount something at the path alone, and picks a free volume name', () => {
    const own = { name: 'kube-api-access-abcde', emptyDir: {} };
    const p = pod({
      volumes: [own],
      containers: [
        { name: 'mine', volumeMounts: [{ name: 'kube-api-access-abcde', mountPath }] },
        { name: 'other' },
      ],
    });
    admitPodServiceAccount(p, sa(), suffixes('abcde', 'fghij'));
    const spec = p.spec as any;
    assert.deepEqual(
      spec.volumes.map((v: any) => v.name),
      ['kube-api-access-abcde', 'kube-api-access-fghij'],
    );
    assert.equal(spec.containers[0].volumeMounts.length, 1);
    assert.equal(spec.containers[1].volumeMounts[0].name, 'kube-api-access-fghij');
  });

  it("copies the ServiceAccount's imagePullSecrets to a pod that names none", () => {
    const p = pod({ containers: [{ name: 'a' }] });
    admitPodServiceAccount(p, sa({ imagePullSecrets: [{ name: 'registry' }] }), suffixes('abcde'));
    assert.deepEqual((p.spec as any).imagePullSecrets, [{ name: 'registry' }]);
    const own = pod({ containers: [{ name: 'a' }], imagePullSecrets: [{ name: 'mine' }] });
    admitPodServiceAccount(own, sa({ imagePullSecrets: [{ name: 'registry' }] }), suffixes('abcde'));
    assert.deepEqual((own.spec as any).imagePullSecrets, [{ name: 'mine' }]);
  });
});
