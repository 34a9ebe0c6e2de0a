// DIR/admin.kubeconfig: server URL, CA data and the admin token, so kubectl works at once.
import { stringify } from 'yaml';
import { writeSecretFile } from './data-dir.js';

export function adminKubeconfig(server: string, caPem: string, token: string): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: 'flotilla',
        cluster: { server, 'certificate-authority-data': Buffer.from(caPem).toString('base64') },
      },
    ],
    users: [{ name: 'flotilla-admin', user: { token } }],
    contexts: [
      { name: 'flotilla', context: { cluster: 'flotilla', user: 'flotilla-admin', namespace: 'default' } },
    ],
    'current-context': 'flotilla',
    preferences: {},
  });
}

export function writeAdminKubeconfig(path: string, server: string, caPem: string, token: string): void {
  writeSecretFile(path, adminKubeconfig(server, caPem, token));
}
