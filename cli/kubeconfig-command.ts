// `flotilla kubeconfig --user NAME`: a kubeconfig for a new user of the hub's API, with a client
// certificate the hub's CA signs here (user = CN, groups = O; kube-apiserver's x509 users, as
// `kubeadm kubeconfig user` makes them). It needs the hub's data dir, where the CA key lives:
// whoever can read DIR/pki/ca.key can already be anyone. The certificate grants nothing by itself:
// bind the user or a group to a role (kubectl create rolebinding ... --user NAME).
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { UsageError } from '../api/usage-error.js';
import { readIfExists, writeSecretFile } from '../hub/data-dir.js';
import { issueClientCertificate, loadCertificateAuthority } from '../hub/pki/certificate-authority.js';
import { parseDuration } from './duration.js';
import { loadKubeconfig } from './kube-api-client.js';
import { parseFlags } from './parse-flags.js';

export const kubeconfigUsage = `flotilla kubeconfig --user NAME [--group GROUP]... [--expiration DURATION] [--out FILE] --data-dir DIR
  --user NAME                      the user's name (the certificate's CN); what RBAC bindings name
  --group GROUP                    a group the user is in (an O of the certificate); repeat for several
  --expiration DURATION            how long the certificate is valid, e.g. 720h (default 8760h: a year)
  --out FILE                       write the kubeconfig to FILE (mode 0600) instead of standard output
  --data-dir DIR                   the hub's data dir: its CA signs the certificate, its admin.kubeconfig
                                   gives the server's address
`;

export async function runKubeconfigCommand(
  args: string[],
  out: (text: string) => void = (text) => process.stdout.write(text),
): Promise<void> {
  const { values } = parseFlags({
    args,
    allowPositionals: false,
    options: {
      user: { type: 'string' },
      group: { type: 'string', multiple: true },
      expiration: { type: 'string', default: '8760h' },
      out: { type: 'string' },
      'data-dir': { type: 'string' },
    },
  });
  const user = values.user?.trim();
  if (!user) throw new UsageError('--user NAME is required');
  if (!values['data-dir'])
    throw new UsageError('--data-dir DIR is required (the hub CA signs the certificate)');
  const groups = (values.group ?? []).map((g) => g.trim());
  if (groups.some((g) => g === '')) throw new UsageError('--group must not be empty');
  const validForMs = parseDuration(values.expiration, '--expiration');
  if (validForMs <= 0) throw new UsageError('--expiration must be longer than 0s');

  const dataDir = resolve(values['data-dir']);
  const certPem = readIfExists(join(dataDir, 'pki', 'ca.crt'));
  const keyPem = readIfExists(join(dataDir, 'pki', 'ca.key'));
  const adminPath = join(dataDir, 'admin.kubeconfig');
  if (!certPem || !keyPem || !readIfExists(adminPath)) {
    throw new UsageError(
      `${dataDir} holds no hub CA and admin.kubeconfig: start the hub with --data-dir ${dataDir} first`,
    );
  }
  const ca = await loadCertificateAuthority({ certPem, keyPem });
  const { server } = loadKubeconfig(adminPath);
  const client = await issueClientCertificate(ca, { user, groups, validForMs });
  const text = userKubeconfig({ server, caPem: certPem, user, ...client });
  if (values.out) writeSecretFile(resolve(values.out), text);
  else out(text);
}

export function userKubeconfig(options: {
  server: string;
  caPem: string;
  user: string;
  certPem: string;
  keyPem: string;
}): string {
  const base64 = (text: string) => Buffer.from(text).toString('base64');
  const context = `${options.user}@flotilla`;
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: 'flotilla',
        cluster: { server: options.server, 'certificate-authority-data': base64(options.caPem) },
      },
    ],
    users: [
      {
        name: options.user,
        user: {
          'client-certificate-data': base64(options.certPem),
          'client-key-data': base64(options.keyPem),
        },
      },
    ],
    contexts: [{ name: context, context: { cluster: 'flotilla', user: options.user, namespace: 'default' } }],
    'current-context': context,
    preferences: {},
  });
}
