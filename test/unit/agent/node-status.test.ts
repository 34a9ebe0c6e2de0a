import assert from 'node:assert/strict';
import { routes } from '../../../api/mqtt/route-table.js';
import type { HostInfo, HostUsage } from '../../../edge-agent/node-status/host-facts.js';
import { pressureConditions, readiness } from '../../../edge-agent/node-status/node-conditions.js';
import { kubeArch, nodeLabels } from '../../../edge-agent/node-status/node-labels.js';
import { buildRegistration, nodeAddresses } from '../../../edge-agent/node-status/node-report.js';
import {
  buildNodeStatus,
  nodeImages,
  statusSignature,
} from '../../../edge-agent/node-status/node-status-report.js';

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;

function aHost(overrides: Partial<HostInfo> = {}): HostInfo {
  return {
    hostname: 'box-17',
    arch: 'arm64',
    platform: 'linux',
    cpuCores: 4,
    memoryTotalBytes: 4 * GiB,
    diskTotalBytes: 32 * GiB,
    kernelVersion: '6.6.31-v8+',
    osImage: 'Debian GNU/Linux 12 (bookworm)',
    machineID: 'abc123',
    bootID: 'boot-1',
    hardwareModel: '',
    interfaces: {
      lo: [
        { address: '127.0.0.1', netmask: '255.0.0.0', family: 'IPv4', mac: '', internal: true, cidr: null },
      ],
      'cni-3f2a': [
        {
          address: '10.88.0.1',
          netmask: '255.255.255.0',
          family: 'IPv4',
          mac: '',
          internal: false,
          cidr: null,
        },
      ],
      eth0: [
        {
          address: 'fe80::1',
          netmask: 'ffff::',
          family: 'IPv6',
          mac: '',
          internal: false,
          cidr: null,
          scopeid: 2,
        },
        {
          address: '192.168.10.17',
          netmask: '255.255.255.0',
          family: 'IPv4',
          mac: '',
          internal: false,
          cidr: null,
        },
      ],
    },
    ...overrides,
  };
}

const healthy: HostUsage = {
  memoryAvailableBytes: 2 * GiB,
  disk: { totalBytes: 32 * GiB, availableBytes: 20 * GiB, inodesTotal: 1000, inodesFree: 900 },
  pids: { used: 300, max: 32768 },
};

const runtimeOk = [
  { type: 'RuntimeReady', status: true, reason: '', message: '' },
  { type: 'NetworkReady', status: true, reason: '', message: '' },
];

const statusOf = (conditions: Array<{ type: string; status: string }>, type: string) =>
  conditions.find((c) => c.type === type)?.status;

describe('agent node status builders', () => {
  it('maps Node.js architectures to Kubernetes ones', () => {
    assert.deepEqual(['x64', 'arm64', 'arm', 'ia32'].map(kubeArch), ['amd64', 'arm64', 'arm', '386']);
  });

  it('labels the node with arch, os and the node name as hostname, plus extra labels', () => {
    assert.deepEqual(nodeLabels('gw-1', 'x64', 'linux', { tier: 'edge' }), {
      tier: 'edge',
      'kubernetes.io/arch': 'amd64',
      'kubernetes.io/os': 'linux',
      'kubernetes.io/hostname': 'gw-1',
    });
  });

  it('builds a registration the hub accepts', () => {
    const registration = buildRegistration({
      info: aHost(),
      runtime: { runtimeName: 'containerd', runtimeVersion: '1.6.20', runtimeApiVersion: 'v1' },
      labels: nodeLabels('gw-17', 'arm64', 'linux'),
      taints: [{ key: 'site', value: 'hall-3', effect: 'NoSchedule' }],
      observedAt: 1_735_689_600_000,
    });
    assert.deepEqual(routes.register.validate(registration), { ok: true, value: registration });
    assert.deepEqual(registration.capacity, {
      cpu: '4',
      memory: `${4 * 1024 * 1024}Ki`,
      'ephemeral-storage': `${32 * 1024 * 1024}Ki`,
      pods: '110',
    });
    assert.equal(registration.allocatable.memory, `${4 * 1024 * 1024 - 100 * 1024}Ki`);
    assert.equal(registration.allocatable['ephemeral-storage'], `${Math.floor(32 * 1024 * 1024 * 0.9)}Ki`);
    assert.equal(registration.nodeInfo.containerRuntimeVersion, 'containerd://1.6.20');
    assert.equal(registration.nodeInfo.kubeletVersion, 'v1.32.0-flotilla');
    assert.equal(registration.nodeInfo.architecture, 'arm64');
  });

  it('takes the first non-internal IPv4 address of a real interface as InternalIP', () => {
    assert.deepEqual(nodeAddresses(aHost()), [
      { type: 'InternalIP', address: '192.168.10.17' },
      { type: 'Hostname', address: 'box-17' },
    ]);
    assert.deepEqual(nodeAddresses(aHost({ interfaces: {} })), [{ type: 'Hostname', address: 'box-17' }]);
  });

  it('never reports a link-local address, such as the service DNS on flotilla-dns0, as InternalIP', () => {
    const dns = { netmask: '255.255.255.255', family: 'IPv4' as const, mac: '', internal: false, cidr: null };
    const interfaces = { 'flotilla-dns0': [{ ...dns, address: '169.254.20.10' }] };
    assert.deepEqual(nodeAddresses(aHost({ interfaces })), [{ type: 'Hostname', address: 'box-17' }]);
  });

  it('is Ready when the runtime is, and reports a missing network as NetworkUnavailable only', () => {
    assert.equal(statusOf(readiness(runtimeOk), 'Ready'), 'True');
    const noCni = readiness([
      { type: 'RuntimeReady', status: true, reason: '', message: '' },
      {
        type: 'NetworkReady',
        status: false,
        reason: 'NetworkPluginNotReady',
        message: 'cni plugin not initialized',
      },
    ]);
    assert.equal(statusOf(noCni, 'Ready'), 'True');
    assert.equal(statusOf(noCni, 'NetworkUnavailable'), 'True');
    const down = readiness(new Error('connect ENOENT /run/containerd.sock'));
    assert.deepEqual(down, [
      {
        type: 'Ready',
        status: 'False',
        reason: 'KubeletNotReady',
        message: 'container runtime is down: connect ENOENT /run/containerd.sock',
      },
    ]);
  });

  it('reports pressure past kubelet eviction thresholds', () => {
    const calm = pressureConditions(healthy);
    assert.deepEqual(
      calm.map((c) => [c.type, c.status, c.reason]),
      [
        ['MemoryPressure', 'False', 'KubeletHasSufficientMemory'],
        ['DiskPressure', 'False', 'KubeletHasNoDiskPressure'],
        ['PIDPressure', 'False', 'KubeletHasSufficientPID'],
      ],
    );
    const stressed = pressureConditions({
      memoryAvailableBytes: 50 * MiB,
      disk: { totalBytes: 32 * GiB, availableBytes: 1 * GiB, inodesTotal: 1000, inodesFree: 900 },
      pids: { used: 32000, max: 32768 },
    });
    assert.deepEqual(
      stressed.map((c) => c.status),
      ['True', 'True', 'True'],
    );
    const inodes = pressureConditions({ ...healthy, disk: { ...healthy.disk!, inodesFree: 10 } });
    assert.equal(statusOf(inodes, 'DiskPressure'), 'True');
    assert.deepEqual(
      pressureConditions({}).map((c) => c.status),
      ['Unknown', 'Unknown', 'Unknown'],
    );
  });

  it('lists images largest first with every name, at most 50', () => {
    const images = Array.from({ length: 60 }, (_, i) => ({
      id: `sha256:${i}`,
      repoTags: [`docker.io/x/img${i}:1`],
      repoDigests: [],
      size: i,
    }));
    const listed = nodeImages(images);
    assert.equal(listed.length, 50);
    assert.deepEqual(listed[0], { names: ['docker.io/x/img59:1'], sizeBytes: 59 });
  });

  it('builds a status report the hub accepts, whose signature ignores time and free memory', () => {
    const input = { observedAt: 1_000, info: aHost(), usage: healthy, runtime: runtimeOk, images: [] };
    const report = buildNodeStatus(input);
    assert.equal(routes.nodeStatus.validate(report).ok, true);
    const later = buildNodeStatus({
      ...input,
      observedAt: 99_000,
      usage: { ...healthy, memoryAvailableBytes: GiB },
    });
    assert.equal(statusSignature(later), statusSignature(report));
    const pressured = buildNodeStatus({ ...input, usage: { ...healthy, memoryAvailableBytes: MiB } });
    assert.notEqual(statusSignature(pressured), statusSignature(report));
  });
});
