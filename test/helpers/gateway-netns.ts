// An emulated gateway for e2e tests: a network namespace `fl-<name>` joined to the host bridge
// flbr0 (172.31.0.1/24) by a veth, with eth0 = 172.31.0.(10+i), a default route via the host,
// forwarding on, and a host route to its pod CIDR 10.231.i.0/24 (firmware-notes/host-runtime.md §2). Only these
// names and ranges are ever created or removed; nothing else on the machine is touched.
// Host net.ipv4.ip_forward is set to 1 and left so: other tests on the machine may rely on it.
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const HOST_BRIDGE = 'flbr0';
export const HOST_BRIDGE_SUBNET = '172.31.0.0/24';
export const HOST_BRIDGE_ADDRESS = '172.31.0.1';
const POD_NETWORK_PREFIX = '10.231';
const MAX_GATEWAYS = 200;

export interface GatewayNetns {
  name: string;
  netnsName: string;
  /** Path for `nsenter --net=` and ManagedContainerd's `netns`. */
  netnsPath: string;
  index: number;
  /** The gateway's address on the host bridge. */
  address: string;
  podCidr: string;
  hostVeth: string;
}

async function ip(...args: string[]): Promise<string> {
  const { stdout } = await run('ip', args);
  return stdout;
}

async function ipQuietly(...args: string[]): Promise<void> {
  await run('ip', args).catch(() => undefined);
}

function isExists(error: unknown): boolean {
  return /File exists|already exists|already assigned/i.test(
    String((error as { stderr?: string }).stderr ?? error),
  );
}

async function ensureHostBridge(): Promise<void> {
  const conflicting = (await ip('-o', 'route', 'show', HOST_BRIDGE_SUBNET)).trim();
  if (conflicting !== '' && !conflicting.includes(`dev ${HOST_BRIDGE}`)) {
    throw new Error(`${HOST_BRIDGE_SUBNET} is already routed on this machine: ${conflicting}`);
  }
  await ip('link', 'add', HOST_BRIDGE, 'type', 'bridge').catch((error) => {
    if (!isExists(error)) throw error;
  });
  await ip('addr', 'add', `${HOST_BRIDGE_ADDRESS}/24`, 'dev', HOST_BRIDGE).catch((error) => {
    if (!isExists(error)) throw error;
  });
  await ip('link', 'set', HOST_BRIDGE, 'up');
  await writeFile('/proc/sys/net/ipv4/ip_forward', '1\n');
}

/** Claims the first free index; `ip route add` is atomic, so concurrent test runs never share one. */
async function claimIndex(): Promise<number> {
  for (let index = 1; index <= MAX_GATEWAYS; index++) {
    try {
      await ip(
        'route',
        'add',
        `${POD_NETWORK_PREFIX}.${index}.0/24`,
        'via',
        `172.31.0.${10 + index}`,
        'dev',
        HOST_BRIDGE,
      );
      return index;
    } catch (error) {
      if (!isExists(error)) throw error;
    }
  }
  throw new Error(`no free gateway index on ${HOST_BRIDGE} (max ${MAX_GATEWAYS})`);
}

export function gatewayNames(name: string): { netnsName: string; netnsPath: string; hostVeth: string } {
  if (!/^[a-z0-9][a-z0-9-]{0,10}$/.test(name)) {
    throw new Error(`gateway name must be 1-11 lowercase letters, digits or dashes, got '${name}'`);
  }
  return { netnsName: `fl-${name}`, netnsPath: `/var/run/netns/fl-${name}`, hostVeth: `flv-${name}` };
}

/** Removes what an interrupted run left under this name, including its host route. */
async function removeLeftover(names: ReturnType<typeof gatewayNames>): Promise<void> {
  const json = await ip('-n', names.netnsName, '-j', 'addr', 'show', 'dev', 'eth0').catch(() => '[]');
  const parsed = JSON.parse(json || '[]') as { addr_info?: { local?: string }[] }[];
  for (const info of parsed[0]?.addr_info ?? []) {
    const match = /^172\.31\.0\.(\d+)$/.exec(info.local ?? '');
    if (match)
      await ipQuietly(
        'route',
        'del',
        `${POD_NETWORK_PREFIX}.${Number(match[1]) - 10}.0/24`,
        'dev',
        HOST_BRIDGE,
      );
  }
  await ipQuietly('netns', 'del', names.netnsName);
  await ipQuietly('link', 'del', names.hostVeth);
}

export async function createGatewayNetns(name: string): Promise<GatewayNetns> {
  const names = gatewayNames(name);
  await removeLeftover(names);
  await ensureHostBridge();
  const index = await claimIndex();
  const gateway: GatewayNetns = {
    name,
    ...names,
    index,
    address: `172.31.0.${10 + index}`,
    podCidr: `${POD_NETWORK_PREFIX}.${index}.0/24`,
  };
  try {
    const ns = ['-n', names.netnsName];
    await ip('netns', 'add', names.netnsName);
    await ip('link', 'add', names.hostVeth, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', names.netnsName);
    await ip('link', 'set', names.hostVeth, 'master', HOST_BRIDGE, 'up');
    await ip(...ns, 'addr', 'add', `${gateway.address}/24`, 'dev', 'eth0');
    await ip(...ns, 'link', 'set', 'eth0', 'up');
    await ip(...ns, 'link', 'set', 'lo', 'up');
    await ip(...ns, 'route', 'add', 'default', 'via', HOST_BRIDGE_ADDRESS);
    await run('nsenter', [`--net=${names.netnsPath}`, 'sysctl', '-qw', 'net.ipv4.ip_forward=1']);
    return gateway;
  } catch (error) {
    await destroyGatewayNetns(gateway);
    throw error;
  }
}

/**
 * Deletes the netns (its eth0 takes the host veth along), the host route and, once no gateway
 * is left on it, the bridge. Stop the gateway's containerd first: a netns with processes in it
 * outlives its name.
 */
export async function destroyGatewayNetns(gateway: GatewayNetns): Promise<void> {
  await ipQuietly('netns', 'del', gateway.netnsName);
  await ipQuietly('link', 'del', gateway.hostVeth);
  await ipQuietly('route', 'del', gateway.podCidr, 'dev', HOST_BRIDGE);
  const ports = JSON.parse((await ip('-j', 'link', 'show', 'master', HOST_BRIDGE).catch(() => '[]')) || '[]');
  if (Array.isArray(ports) && ports.length === 0) await ipQuietly('link', 'del', HOST_BRIDGE);
}
