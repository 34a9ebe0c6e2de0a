// The kinds kubectl's `apply --prune` lists by default, with the real kubectl 1.27 and 1.32
// against the real `flotilla hub` process: `apply --prune -l` without an allowlist prunes what
// left the directory; a StatefulSet scales up in order and back down in reverse (a loop in the
// test plays kubelet, one pod at a time); `rollout status` and `scale` work on it; and
// `kubectl get sts,rc,pvc,pv,ing` prints Kubernetes' columns.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiClient } from '../helpers/api-client.js';
import { skipSuiteUnless } from '../helpers/environment.js';
import { eventually } from '../helpers/eventually.js';
import { type HubProcess, startHubProcess } from '../helpers/hub-process.js';
import { Kubectl, kubectlOf } from '../helpers/kubectl.js';

const deployment = (ns: string) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: ${ns}, labels: {app: plant}}
spec:
  replicas: 0
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: docker.io/local/web:1}]}
`;
const configMap = (ns: string) => `apiVersion: v1
kind: ConfigMap
metadata: {name: settings, namespace: ${ns}, labels: {app: plant}}
data: {mode: fast}
`;
const service = (ns: string) => `apiVersion: v1
kind: Service
metadata: {name: db, namespace: ${ns}, labels: {app: plant}}
spec: {clusterIP: None, selector: {app: db}, ports: [{port: 5432}]}
`;
const statefulSet = (ns: string, replicas: number) => `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, namespace: ${ns}}
spec:
  serviceName: db
  replicas: ${replicas}
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers:
      - name: db
        image: docker.io/local/db:1
        volumeMounts: [{name: data, mountPath: /var/lib/db}]
  volumeClaimTemplates:
  - metadata: {name: data}
    spec:
      accessModes: [ReadWriteOnce]
      storageClassName: local
      resources: {requests: {storage: 1Gi}}
`;
const others = (ns: string, pvName: string) => `apiVersion: v1
kind: ReplicationController
metadata: {name: legacy, namespace: ${ns}}
spec:
  replicas: 0
  selector: {app: legacy}
  template:
    metadata: {labels: {app: legacy}}
    spec: {containers: [{name: legacy, image: docker.io/local/legacy:1}]}
---
apiVersion: v1
kind: PersistentVolume
metadata: {name: ${pvName}}
spec:
  capacity: {storage: 2Gi}
  accessModes: [ReadWriteOnce]
  storageClassName: local
  claimRef: {namespace: ${ns}, name: data-db-0}
  hostPath: {path: /srv/${pvName}}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web, namespace: ${ns}}
spec:
  tls: [{hosts: [web.example.com], secretName: web-tls}]
  rules:
  - host: web.example.com
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
`;

/** Plays kubelet for the namespace: the lowest pod that is not ready becomes Running and Ready. */
function reportReadyOneAtATime(api: ApiClient, ns: string): { stop: () => void; maxNotReady: () => number } {
  let running = true;
  let maxNotReady = 0;
  void (async () => {
    while (running) {
      const res = await api.send('GET', `/api/v1/namespaces/${ns}/pods`).catch(() => undefined);
      const live = (res?.status === 200 ? res.json().items : []).filter(
        (p: any) => !p.metadata.deletionTimestamp,
      );
      const notReady = live.filter(
        (p: any) => !(p.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True'),
      );
      maxNotReady = Math.max(maxNotReady, notReady.length);
      const [pod] = notReady.sort((a: any, b: any) => a.metadata.name.localeCompare(b.metadata.name));
      if (pod) {
        const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
        pod.status = {
          ...pod.status,
          phase: 'Running',
          conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: now }],
        };
        await api
          .send('PUT', `/api/v1/namespaces/${ns}/pods/${pod.metadata.name}/status`, pod)
          .catch(() => undefined);
      }
      await new Promise((r) => setTimeout(r, 150));
    }
  })();
  return {
    stop: () => {
      running = false;
    },
    maxNotReady: () => maxNotReady,
  };
}

for (const minor of [27, 32]) {
  describe(`kubectl 1.${minor}: the kinds apply --prune lists by default`, function () {
    this.timeout(120_000);
    const ns = `prune-${minor}`;
    let hub: HubProcess;
    let kubectl: Kubectl;
    let api: ApiClient;
    let dir: string;
    const k = (...args: string[]) => kubectl.ok([...args, '-n', ns]);
    const livePods = async () =>
      JSON.parse(await k('get', 'pods', '-o', 'json'))
        .items.filter((p: any) => !p.metadata.deletionTimestamp)
        .map((p: any) => p.metadata.name)
        .sort();

    before(async function () {
      const bin = kubectlOf(minor);
      skipSuiteUnless(this, bin ? [] : [`kubectl 1.${minor} is not installed`]);
      hub = await startHubProcess();
      kubectl = new Kubectl(hub.kubeconfig, bin);
      api = new ApiClient(hub.apiUrl, readFileSync(join(hub.dataDir, 'pki', 'ca.crt'), 'utf8'), hub.token);
      dir = mkdtempSync(join(tmpdir(), 'flotilla-prune-'));
      await kubectl.ok(['create', 'namespace', ns]);
    });
    after(async () => {
      await hub?.stop();
      if (hub) rmSync(hub.dataDir, { recursive: true, force: true });
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it('prunes a removed Deployment and ConfigMap with apply --prune -l and no allowlist', async () => {
      writeFileSync(join(dir, 'web.yaml'), deployment(ns));
      writeFileSync(join(dir, 'settings.yaml'), configMap(ns));
      writeFileSync(join(dir, 'db-service.yaml'), service(ns));
      await k('apply', '--prune', '-l', 'app=plant', '-f', dir);
      unlinkSync(join(dir, 'web.yaml'));
      unlinkSync(join(dir, 'settings.yaml'));
      const out = await k('apply', '--prune', '-l', 'app=plant', '-f', dir);
      assert.match(out, /deployment\.apps\/web pruned/);
      assert.match(out, /configmap\/settings pruned/);
      assert.match(out, /service\/db unchanged/);
      assert.equal((await kubectl.run(['get', 'deployment', 'web', '-n', ns])).code, 1);
      assert.equal((await kubectl.run(['get', 'configmap', 'settings', '-n', ns])).code, 1);
    });

    it('scales a StatefulSet up in order and back down in reverse', async () => {
      const kubelet = reportReadyOneAtATime(api, ns);
      try {
        await kubectl.ok(['apply', '-f', '-'], statefulSet(ns, 3));
        const status = await k('rollout', 'status', 'sts/db', '--timeout=60s');
        assert.match(status, /partitioned roll out complete|rolling update complete 3 pods/);
        assert.deepEqual(await livePods(), ['db-0', 'db-1', 'db-2']);
        assert.equal(kubelet.maxNotReady(), 1, 'OrderedReady made one pod at a time');
        const claims = await k('get', 'pvc', '-o', 'name');
        assert.deepEqual(claims.trim().split('\n').sort(), [
          'persistentvolumeclaim/data-db-0',
          'persistentvolumeclaim/data-db-1',
          'persistentvolumeclaim/data-db-2',
        ]);
        await k('scale', 'sts/db', '--replicas=1');
        const seen: string[][] = [];
        await eventually(async () => {
          const now = await livePods();
          if (JSON.stringify(seen.at(-1)) !== JSON.stringify(now)) seen.push(now);
          return now.length === 1;
        });
        assert.deepEqual(seen.at(-1), ['db-0']);
        assert.ok(
          !seen.some((s) => s.includes('db-2') && !s.includes('db-1')),
          `db-2 went first: ${JSON.stringify(seen)}`,
        );
        assert.equal((await k('get', 'pvc', '-o', 'name')).trim().split('\n').length, 3, 'claims are kept');
      } finally {
        kubelet.stop();
      }
    });

    it('prints the columns of kubectl get sts,rc,pvc,pv,ing as Kubernetes does', async () => {
      const pvName = `disk-${minor}`;
      await kubectl.ok(['apply', '-f', '-'], others(ns, pvName));
      await eventually(async () => /Bound/.test(await k('get', 'pvc', 'data-db-0')));
      const out = await k('get', 'sts,rc,pvc,pv,ing');
      const headers = out
        .split('\n')
        .filter((line) => line.startsWith('NAME'))
        .map((line) => line.split(/\s{2,}/).join('|'));
      assert.deepEqual(headers, [
        'NAME|READY|AGE',
        'NAME|DESIRED|CURRENT|READY|AGE',
        'NAME|STATUS|VOLUME|CAPACITY|ACCESS MODES|STORAGECLASS|VOLUMEATTRIBUTESCLASS|AGE',
        'NAME|CAPACITY|ACCESS MODES|RECLAIM POLICY|STATUS|CLAIM|STORAGECLASS|VOLUMEATTRIBUTESCLASS|REASON|AGE',
        'NAME|CLASS|HOSTS|ADDRESS|PORTS|AGE',
      ]);
      assert.match(out, /statefulset\.apps\/db\s+1\/1\s/);
      assert.match(out, /replicationcontroller\/legacy\s+0\s+0\s+0\s/);
      assert.match(
        out,
        new RegExp(
          `persistentvolumeclaim/data-db-0\\s+Bound\\s+${pvName}\\s+2Gi\\s+RWO\\s+local\\s+<unset>\\s`,
        ),
      );
      assert.match(out, /persistentvolumeclaim\/data-db-1\s+Pending\s+local/);
      assert.match(
        out,
        new RegExp(
          `persistentvolume/${pvName}\\s+2Gi\\s+RWO\\s+Retain\\s+Bound\\s+${ns}/data-db-0\\s+local\\s+<unset>\\s`,
        ),
      );
      assert.match(out, /ingress\.networking\.k8s\.io\/web\s+<none>\s+web\.example\.com\s+80, 443\s/);
    });

    it('creates an Ingress with kubectl create ingress, which kubectl sends as protobuf', async () => {
      await k(
        'create',
        'ingress',
        'shop',
        '--class=edge',
        '--rule=shop.example.com/api*=api:8080,tls=shop-cert',
      );
      const ingress = JSON.parse(await k('get', 'ingress', 'shop', '-o', 'json'));
      assert.deepEqual(ingress.spec, {
        ingressClassName: 'edge',
        rules: [
          {
            host: 'shop.example.com',
            http: {
              paths: [
                {
                  path: '/api',
                  pathType: 'Prefix',
                  backend: { service: { name: 'api', port: { number: 8080 } } },
                },
              ],
            },
          },
        ],
        tls: [{ hosts: ['shop.example.com'], secretName: 'shop-cert' }],
      });
    });
  });
}
