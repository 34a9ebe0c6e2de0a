// An arm64 gateway next to an amd64 one, joined to one hub: the arm64 gateway's agent runs on
// Node.js for arm64 and its containers are arm64 busybox, all under qemu user emulation
// (test/helpers/arm64-gateway.ts says what is emulated and what stays the host's). Each gateway is
// a network namespace with its own containerd. Workloads built for one architecture land only on
// gateways of that architecture, a multi-arch image runs on both (each gateway its own variant),
// and logs and exec reach the arm64 gateway's containers.
import assert from 'node:assert/strict';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { arm64Busybox, arm64Platform, missingArm64Prerequisite } from '../helpers/arm64-gateway.js';
import { skipSuiteUnless } from '../helpers/environment.js';
import { eventually } from '../helpers/eventually.js';
import { type GatewayFleet, startGatewayFleet } from '../helpers/gateway-fleet.js';
import { tempDir } from '../helpers/hub-process.js';
import { multiArchImageTar } from '../helpers/images/multi-arch-image.js';
import { BUSYBOX_PATH, busyboxImageTar } from '../helpers/images/test-images.js';
import type { Kubectl } from '../helpers/kubectl.js';
import { missingRuntimePrerequisite, type TestGatewayRuntime } from '../helpers/test-gateway-runtime.js';

const MULTI_ARCH_REF = 'docker.io/flotilla/busybox-multiarch:1';
const amd64Node = 'gw-amd64';
const arm64Node = 'gw-arm64';

interface Placement {
  replicas?: number;
  /** A line of the pod spec, e.g. a nodeSelector. */
  spec?: string;
  /** The pod template's annotations, as a YAML flow mapping. */
  annotations?: string;
}

/** A Deployment (with `replicas`) or DaemonSet of pods printing their machine (`uname -m`) and sleeping. */
function workload(
  name: string,
  image: string,
  { replicas, spec = '', annotations = '{}' }: Placement,
): string {
  return `apiVersion: apps/v1
kind: ${replicas === undefined ? 'DaemonSet' : 'Deployment'}
metadata: {name: ${name}, namespace: default}
spec:
  ${replicas === undefined ? '' : `replicas: ${replicas}`}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}, annotations: ${annotations}}
    spec:
      terminationGracePeriodSeconds: 1
      ${spec}
      containers:
        - name: main
          image: ${image}
          command: [sh, -c, 'echo machine=$(uname -m); exec sleep 3600']
`;
}

describe('an arm64 gateway under qemu user emulation next to an amd64 one', function () {
  this.timeout(600_000);
  let fleet: GatewayFleet;
  let kubectl: Kubectl;
  let scratch: string;
  let amd64: TestGatewayRuntime;
  let arm64: TestGatewayRuntime;

  const podsOf = async (app: string) =>
    JSON.parse(await kubectl.ok(['get', 'pods', '-l', `app=${app}`, '-o', 'json'])).items as any[];
  const isReady = (pod: any) =>
    pod.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True') === true;
  /** The app's pods once `count` of them are Ready; the pods and agents' output when they are not. */
  const readyPods = (app: string, count: number) =>
    (
      eventually(
        async () => {
          const pods = await podsOf(app);
          return pods.length === count && pods.every(isReady) ? pods : undefined;
        },
        { timeoutMs: 120_000, intervalMs: 500 },
      ) as Promise<any[]>
    ).catch(async (err) => {
      const pods = await kubectl.run(['get', 'pods', '-o', 'wide']);
      throw new Error(`${(err as Error).message}\n${pods.stdout}\n${fleet.agentOutput()}`);
    });
  const machineLogged = (pod: string) =>
    eventually(async () => /^machine=(\S+)$/m.exec(await kubectl.ok(['logs', pod]))?.[1], {
      timeoutMs: 30_000,
      intervalMs: 500,
    }) as Promise<string>;

  /** "<node> <machine>" of each of the app's pods once `count` are Ready, sorted. */
  const machinesOf = async (app: string, count: number) => {
    const placed: string[] = [];
    for (const pod of await readyPods(app, count)) {
      placed.push(`${pod.spec.nodeName} ${await machineLogged(pod.metadata.name)}`);
    }
    return placed.sort();
  };

  before(async function () {
    const missing = [missingRuntimePrerequisite(), missingArm64Prerequisite()];
    skipSuiteUnless(
      this,
      missing.filter((reason): reason is string => reason !== undefined),
    );
    fleet = await startGatewayFleet([amd64Node, arm64Node], [], {
      platforms: { [arm64Node]: arm64Platform() },
    });
    kubectl = fleet.kubectl;
    [amd64, arm64] = fleet.gateways as [TestGatewayRuntime, TestGatewayRuntime];
    // One image for both platforms, imported on each gateway as an operator would: each
    // gateway's ctr takes the variant of its own platform.
    scratch = tempDir('multiarch');
    const tar = join(scratch, 'busybox-multiarch.tar');
    const variants = [
      busyboxImageTar(await readFile(BUSYBOX_PATH), MULTI_ARCH_REF, 'x64'),
      busyboxImageTar(await arm64Busybox(), MULTI_ARCH_REF, 'arm64'),
    ];
    await writeFile(tar, multiArchImageTar(MULTI_ARCH_REF, variants));
    for (const gw of fleet.gateways) await gw.importImages([tar]);
  });

  after(async () => {
    await fleet?.teardown();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  it('registers each gateway with its architecture', async () => {
    const list = JSON.parse(await kubectl.ok(['get', 'nodes', '-o', 'json']));
    const byName = new Map<string, any>(list.items.map((n: any) => [n.metadata.name, n]));
    for (const [node, arch] of [
      [amd64Node, 'amd64'],
      [arm64Node, 'arm64'],
    ] as const) {
      assert.equal(byName.get(node)?.metadata.labels['kubernetes.io/arch'], arch, node);
      assert.equal(byName.get(node)?.status.nodeInfo.architecture, arch, node);
    }
  });

  it('places an arm64-only image on the arm64 gateway only, chosen by kubernetes.io/arch', async () => {
    const spec = 'nodeSelector: {kubernetes.io/arch: arm64}';
    await kubectl.ok(['apply', '-f', '-'], workload('only-arm64', arm64.busyboxImage, { replicas: 2, spec }));
    assert.deepEqual(await machinesOf('only-arm64', 2), [`${arm64Node} aarch64`, `${arm64Node} aarch64`]);
  });

  it('places an amd64-only image on the amd64 gateway only, chosen by the flotilla.io/arch annotation', async () => {
    const annotations = "{flotilla.io/arch: 'linux/amd64'}";
    await kubectl.ok(
      ['apply', '-f', '-'],
      workload('only-amd64', amd64.busyboxImage, { replicas: 2, annotations }),
    );
    assert.deepEqual(await machinesOf('only-amd64', 2), [`${amd64Node} x86_64`, `${amd64Node} x86_64`]);
  });

  it('leaves a pod built only for armv7 Pending, saying why', async () => {
    await kubectl.ok(
      ['apply', '-f', '-'],
      workload('only-armv7', MULTI_ARCH_REF, {
        replicas: 1,
        annotations: "{flotilla.io/arch: 'linux/arm/v7'}",
      }),
    );
    const message = (await eventually(
      async () => {
        const [pod] = await podsOf('only-armv7');
        const scheduled = pod?.status?.conditions?.find((c: any) => c.type === 'PodScheduled');
        return scheduled?.status === 'False' ? (scheduled.message as string) : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 500 },
    )) as string;
    assert.match(
      message,
      /0\/2 nodes are available: 2 node\(s\) didn't match the architectures the pod's images are built for/,
    );
  });

  it("runs a multi-arch image on both gateways, each its own platform's variant", async () => {
    await kubectl.ok(['apply', '-f', '-'], workload('multiarch', MULTI_ARCH_REF, {}));
    assert.deepEqual(await machinesOf('multiarch', 2), [`${amd64Node} x86_64`, `${arm64Node} aarch64`]);
  });

  it('answers kubectl logs and exec, with and without stdin, from the arm64 gateway', async () => {
    const [pod] = (await podsOf('multiarch')).filter((p) => p.spec.nodeName === arm64Node);
    const name = pod.metadata.name as string;
    assert.match(await kubectl.ok(['logs', name, '-c', 'main']), /^machine=aarch64$/m);
    assert.equal((await kubectl.ok(['exec', name, '--', 'uname', '-m'])).trim(), 'aarch64');
    const failed = await kubectl.run(['exec', name, '--', 'sh', '-c', 'echo oops >&2; exit 3']);
    assert.equal(failed.code, 3);
    assert.match(failed.stderr, /oops/);
    const echoed = await kubectl.ok(['exec', '-i', name, '--', 'sh', '-c', 'tr a-z A-Z'], 'from stdin\n');
    assert.equal(echoed, 'FROM STDIN\n');
  });
});
