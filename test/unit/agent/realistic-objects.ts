// Kubernetes objects of realistic size for the agent's write measurements: a Deployment's pod
// with env, ports, resources and a probe; its Running status; a desired state with 20 of them.
import { type AgentDesired, protocolVersion } from '../../../api/mqtt/payloads/desired-state.js';
import type { PodStatusItem } from '../../../api/mqtt/payloads/pod-status.js';
import type { KubeObject } from '../../../api/types.js';

/** A pod of realistic size (~1.3 KB as JSON): labels, env, ports, resources, a probe. */
export function aRealisticPod(i: number): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `sensor-reader-7d9f-${i}`,
      namespace: 'default',
      uid: `0b6f7c3e-5a1d-4c8e-9f00-${String(i).padStart(12, '0')}`,
      labels: { app: 'sensor-reader', 'app.kubernetes.io/part-of': 'line-3', 'pod-template-hash': '7d9f' },
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          name: 'sensor-reader-7d9f',
          uid: 'rs-1',
          controller: true,
        },
      ],
    },
    spec: {
      nodeName: 'gw-17',
      containers: [
        {
          name: 'reader',
          image: 'registry.local/factory/sensor-reader:2.4.1',
          env: [
            { name: 'LINE', value: 'line-3' },
            { name: 'MQTT_URL', value: 'mqtt://broker.local:1883' },
          ],
          ports: [{ containerPort: 8080, protocol: 'TCP' }],
          resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '128Mi' } },
          readinessProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 10 },
          volumeMounts: [{ name: 'config', mountPath: '/etc/reader' }],
        },
      ],
      volumes: [{ name: 'config', configMap: { name: 'sensor-reader' } }],
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 30,
    },
  };
}

export function aRealisticDesiredState(revision: number, pods: number): AgentDesired {
  const service = (i: number): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: `svc-${i}`, namespace: 'default' },
    spec: {
      clusterIP: `10.43.0.${i + 10}`,
      ports: [{ port: 80, targetPort: 8080 }],
      selector: { app: `app-${i}` },
    },
  });
  return {
    protocol: protocolVersion,
    revision,
    node: 'gw-17',
    pods: Array.from({ length: pods }, (_, i) => aRealisticPod(i)),
    configMaps:
      pods > 0
        ? [
            {
              metadata: { name: 'sensor-reader', namespace: 'default' },
              data: { 'reader.yaml': 'interval: 1s\n' },
            },
          ]
        : [],
    secrets: [],
    services: Array.from({ length: 10 }, (_, i) => service(i)),
    endpointSlices: [],
  };
}

export function aRealisticStatus(pod: KubeObject, observedAt: number, restarts: number): PodStatusItem {
  const started = new Date(observedAt).toISOString();
  return {
    namespace: 'default',
    name: pod.metadata.name ?? '',
    uid: pod.metadata.uid ?? '',
    observedAt,
    status: {
      phase: 'Running',
      podIP: '10.42.17.9',
      hostIP: '192.168.10.17',
      startTime: started,
      conditions: ['Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map((type) => ({
        type,
        status: 'True' as const,
      })),
      containerStatuses: [
        {
          name: 'reader',
          ready: true,
          restartCount: restarts,
          state: { running: { startedAt: started } },
          image: 'registry.local/factory/sensor-reader:2.4.1',
          imageID: 'sha256:4f1c0a9e2b7d5c3e8f6a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e',
          containerID: 'containerd://9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b',
        },
      ],
    },
  };
}
