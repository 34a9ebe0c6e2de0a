// Services and EndpointSlices for the service DNS benchmark (bench/dns.bench.ts and its child
// server): ClusterIP Services in namespace bench, every tenth headless with five ready endpoints.
import type { KubeObject } from '../../api/types.js';

export function benchServices(count: number): { services: KubeObject[]; slices: KubeObject[] } {
  const services: KubeObject[] = [];
  const slices: KubeObject[] = [];
  for (let i = 0; i < count; i++) {
    const name = `svc-${i}`;
    const headless = i % 10 === 0;
    const clusterIP = headless ? 'None' : `10.43.${Math.floor(i / 250)}.${(i % 250) + 1}`;
    services.push({
      metadata: { name, namespace: 'bench' },
      spec: { clusterIP, clusterIPs: [clusterIP], ports: [{ name: 'http', port: 80, protocol: 'TCP' }] },
    });
    if (!headless) continue;
    slices.push({
      metadata: { name: `${name}-a`, namespace: 'bench', labels: { 'kubernetes.io/service-name': name } },
      addressType: 'IPv4',
      endpoints: Array.from({ length: 5 }, (_, e) => ({
        addresses: [`10.42.${Math.floor(i / 50) % 250}.${(i % 50) * 5 + e + 1}`],
        conditions: { ready: true },
      })),
      ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
    });
  }
  return { services, slices };
}
