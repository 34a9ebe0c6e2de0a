import assert from 'node:assert/strict';
import { status as GrpcStatus } from '@grpc/grpc-js';
import type { ContainerConfig, SandboxConfig } from '../../../edge-agent/runtime/container-runtime.js';
import { RuntimeError } from '../../../edge-agent/runtime/container-runtime.js';
import { toRuntimeError } from '../../../edge-agent/runtime/cri-errors.js';
import {
  fromWireContainerStatus,
  fromWireSandboxStatus,
  nanosToMillis,
  toWireContainerConfig,
  toWireSandboxConfig,
} from '../../../edge-agent/runtime/cri-mapping.js';
import { criMethods, findCriProto } from '../../../edge-agent/runtime/cri-proto.js';

function aSandbox(overrides: Partial<SandboxConfig> = {}): SandboxConfig {
  return {
    metadata: { name: 'web', namespace: 'default', uid: 'u1', attempt: 0 },
    hostname: 'web',
    logDirectory: '/var/log/pods/default_web_u1',
    hostNetwork: false,
    portMappings: [{ protocol: 'TCP', containerPort: 80, hostPort: 8080 }],
    labels: { app: 'web' },
    annotations: {},
    cgroupParent: '/flotilla/gw1/podu1',
    ...overrides,
  };
}

function aContainer(overrides: Partial<ContainerConfig> = {}): ContainerConfig {
  return {
    name: 'main',
    attempt: 1,
    image: 'docker.io/library/busybox:1.36',
    command: ['sh'],
    args: ['-c', 'sleep 1'],
    envs: [{ key: 'A', value: '1' }],
    mounts: [{ containerPath: '/data', hostPath: '/srv/data', readonly: true }],
    labels: {},
    annotations: {},
    logPath: 'main/1.log',
    ...overrides,
  };
}

describe('CRI mapping', () => {
  it('converts nanosecond timestamps to milliseconds without losing int64 precision', () => {
    assert.equal(nanosToMillis('1795466306546123456'), 1795466306546);
    assert.equal(nanosToMillis('0'), 0);
    assert.equal(nanosToMillis(''), 0);
    assert.equal(nanosToMillis(null), 0);
  });

  it('asks for the pod network namespace, or the node one for hostNetwork', () => {
    const pod = toWireSandboxConfig(aSandbox());
    assert.deepEqual(pod.linux.security_context.namespace_options, {
      network: 'POD',
      pid: 'CONTAINER',
      ipc: 'POD',
    });
    const host = toWireSandboxConfig(aSandbox({ hostNetwork: true }));
    assert.equal(host.linux.security_context.namespace_options.network, 'NODE');
  });

  it('passes the cgroup parent through and drops the hostname of a host-network pod', () => {
    assert.equal(toWireSandboxConfig(aSandbox()).linux.cgroup_parent, '/flotilla/gw1/podu1');
    assert.equal(toWireSandboxConfig(aSandbox()).hostname, 'web');
    assert.equal(toWireSandboxConfig(aSandbox({ hostNetwork: true })).hostname, '');
  });

  it('maps port mappings with an empty host IP when none is given', () => {
    assert.deepEqual(toWireSandboxConfig(aSandbox()).port_mappings, [
      { protocol: 'TCP', container_port: 80, host_port: 8080, host_ip: '' },
    ]);
  });

  it('never sends a negative oom_score_adj', () => {
    const config = toWireContainerConfig(
      aContainer({ resources: { memoryLimitBytes: 64 << 20 } }),
      aSandbox(),
    );
    assert.equal(config.linux.resources.oom_score_adj, 0);
    assert.equal(config.linux.resources.memory_limit_in_bytes, 64 << 20);
  });

  it('maps container config fields to their snake_case wire names', () => {
    const config = toWireContainerConfig(aContainer(), aSandbox({ hostNetwork: true }));
    assert.deepEqual(config.mounts, [{ container_path: '/data', host_path: '/srv/data', readonly: true }]);
    assert.deepEqual(config.metadata, { name: 'main', attempt: 1 });
    assert.equal(config.log_path, 'main/1.log');
    assert.equal(config.linux.security_context.namespace_options.network, 'NODE');
  });

  it('gives a container its own pid namespace unless it targets another container', () => {
    const own = toWireContainerConfig(aContainer(), aSandbox());
    assert.deepEqual(own.linux.security_context.namespace_options, {
      network: 'POD',
      pid: 'CONTAINER',
      ipc: 'POD',
    });
    const debug = toWireContainerConfig(aContainer({ targetContainerId: 'c0ffee', stdin: true }), aSandbox());
    assert.deepEqual(debug.linux.security_context.namespace_options, {
      network: 'POD',
      pid: 'TARGET',
      ipc: 'POD',
      target_id: 'c0ffee',
    });
    assert.equal(debug.stdin, true);
    assert.equal(debug.stdin_once, false);
  });

  it('reads a sandbox status, treating an empty IP as none', () => {
    const status = fromWireSandboxStatus({
      id: 's1',
      metadata: { name: 'web', namespace: 'default', uid: 'u1', attempt: 0 },
      state: 'SANDBOX_NOTREADY',
      created_at: '1000000000',
      network: { ip: '' },
      labels: { a: 'b' },
      annotations: {},
    });
    assert.deepEqual(status, {
      id: 's1',
      metadata: { name: 'web', namespace: 'default', uid: 'u1', attempt: 0 },
      state: 'NOTREADY',
      createdAt: 1000,
      ip: undefined,
      labels: { a: 'b' },
      annotations: {},
    });
  });

  it('reads a container status with the sandbox ID it is given', () => {
    const status = fromWireContainerStatus(
      {
        id: 'c1',
        metadata: { name: 'main', attempt: 2 },
        state: 'CONTAINER_EXITED',
        created_at: '1000000',
        started_at: '2000000',
        finished_at: '3000000',
        exit_code: 3,
        image: { image: 'docker.io/x/y:1' },
        image_ref: 'sha256:abc',
        reason: 'Error',
        message: '',
        labels: {},
        annotations: {},
        log_path: '/logs/main/2.log',
      },
      's1',
    );
    assert.deepEqual(
      [
        status.podSandboxId,
        status.state,
        status.createdAt,
        status.startedAt,
        status.finishedAt,
        status.exitCode,
      ],
      ['s1', 'EXITED', 1, 2, 3, 3],
    );
  });

  it('maps gRPC codes to RuntimeError codes, keeping the gRPC message', () => {
    const grpcError = (code: number, details: string) => Object.assign(new Error(details), { code, details });
    const cases: [number, RuntimeError['code']][] = [
      [GrpcStatus.NOT_FOUND, 'NotFound'],
      [GrpcStatus.UNAVAILABLE, 'Unavailable'],
      [GrpcStatus.DEADLINE_EXCEEDED, 'DeadlineExceeded'],
      [GrpcStatus.UNKNOWN, 'Unknown'],
      [GrpcStatus.UNIMPLEMENTED, 'Unknown'],
    ];
    for (const [code, expected] of cases) {
      const error = toRuntimeError('RuntimeService/StartContainer', grpcError(code, 'boom'));
      assert.ok(error instanceof RuntimeError);
      assert.equal(error.code, expected);
      assert.equal(error.message, 'RuntimeService/StartContainer: boom');
    }
  });

  it('finds the proto from the source tree and loads every method Flotilla calls', () => {
    assert.match(findCriProto(), /edge-agent\/runtime\/proto\/cri-runtime-v1\.proto$/);
    const methods = criMethods();
    assert.equal(
      methods.get('RuntimeService/RunPodSandbox')?.path,
      '/runtime.v1.RuntimeService/RunPodSandbox',
    );
    assert.equal(methods.get('ImageService/PullImage')?.path, '/runtime.v1.ImageService/PullImage');
  });

  it('finds the proto from the build output directory by walking up to the package root', () => {
    const fromDist = new URL('../../../dist/edge-agent/runtime', import.meta.url).pathname;
    assert.match(findCriProto(fromDist), /\/edge-agent\/runtime\/proto\/cri-runtime-v1\.proto$/);
    assert.throws(() => findCriProto('/'), /cri-runtime-v1\.proto not found/);
  });
});
