// A client on the gateways' plant network (a PLC, an operator's PC): a network namespace
// `fl-<name>` with a veth on the host bridge and an address of its own, nothing else. Only what
// it creates is removed.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { HOST_BRIDGE } from './gateway-netns.js';

const run = promisify(execFile);

export interface ClientNetns {
  netnsName: string;
  address: string;
  /** GET http://target/ from the client; the body, or undefined when it fails within timeoutS. */
  get(target: string, timeoutS?: number): Promise<string | undefined>;
  remove(): Promise<void>;
}

export async function createClientNetns(name: string, address: string): Promise<ClientNetns> {
  const netnsName = `fl-${name}`;
  const hostVeth = `flc-${name}`.slice(0, 15);
  const remove = async () => {
    await run('ip', ['netns', 'del', netnsName]).catch(() => {});
    await run('ip', ['link', 'del', hostVeth]).catch(() => {});
  };
  await remove();
  try {
    await run('ip', ['netns', 'add', netnsName]);
    await run('ip', ['link', 'add', hostVeth, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', netnsName]);
    await run('ip', ['link', 'set', hostVeth, 'master', HOST_BRIDGE, 'up']);
    await run('ip', ['-n', netnsName, 'addr', 'add', `${address}/24`, 'dev', 'eth0']);
    await run('ip', ['-n', netnsName, 'link', 'set', 'eth0', 'up']);
    await run('ip', ['-n', netnsName, 'link', 'set', 'lo', 'up']);
  } catch (err) {
    await remove();
    throw err;
  }
  return {
    netnsName,
    address,
    get: async (target, timeoutS = 1) => {
      const curl = [
        'netns',
        'exec',
        netnsName,
        'curl',
        '-s',
        '--max-time',
        String(timeoutS),
        `http://${target}/`,
      ];
      return run('ip', curl).then(
        ({ stdout }) => stdout.trim() || undefined,
        () => undefined,
      );
    },
    remove,
  };
}
