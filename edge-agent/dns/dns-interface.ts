// Where pods reach the service DNS: a link-local address (default 169.254.20.10, as NodeLocal
// DNSCache uses) on an interface of its own in the agent's network namespace. A pod sends to it
// through its default route, the CNI bridge, into this namespace, where the address is local, so
// no NAT or service rule is involved, the same address works on every gateway, and it never
// collides with pod or service CIDRs. The interface is a dummy; kernels built without dummy
// support (CONFIG_DUMMY unset, as on our CI VMs) get a bridge without ports, which holds a local
// address the same way. Deleting the interface removes the address with it.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const dnsInterfaceName = 'flotilla-dns0';

function stderrOf(err: unknown): string {
  return String((err as { stderr?: string }).stderr ?? (err as Error).message).trim();
}

async function ip(...args: string[]): Promise<string> {
  try {
    const { stdout } = await run('ip', args);
    return stdout;
  } catch (err) {
    throw new Error(`ip ${args.join(' ')}: ${stderrOf(err)}`);
  }
}

/** The interface's IPv4 addresses, or undefined when it does not exist. */
async function addressesOf(name: string): Promise<string[] | undefined> {
  let out: string;
  try {
    ({ stdout: out } = await run('ip', ['-j', '-4', 'addr', 'show', 'dev', name]));
  } catch (err) {
    if (/does not exist/i.test(stderrOf(err))) return undefined;
    throw new Error(`ip addr show dev ${name}: ${stderrOf(err)}`);
  }
  const parsed = JSON.parse(out.trim() || '[]') as { addr_info?: { local?: string }[] }[];
  return (parsed[0]?.addr_info ?? []).flatMap((info) => (info.local ? [info.local] : []));
}

async function createInterface(name: string): Promise<'dummy' | 'bridge'> {
  try {
    await ip('link', 'add', name, 'type', 'dummy');
    return 'dummy';
  } catch (err) {
    if (!/Unknown device type|not supported/i.test((err as Error).message)) throw err;
  }
  await ip('link', 'add', name, 'type', 'bridge');
  return 'bridge';
}

/**
 * Makes `address` (IPv4) the one address of flotilla-dns0, creating the interface when needed.
 * Idempotent; says what it did, for the agent's log.
 */
export async function ensureDnsInterface(address: string, name = dnsInterfaceName): Promise<string> {
  let current = await addressesOf(name);
  let done = `${name} holds ${address}`;
  if (current === undefined) {
    const kind = await createInterface(name);
    done = `${name} (${kind}) created with ${address}`;
    current = [];
  }
  if (current.length !== 1 || current[0] !== address) {
    await ip('addr', 'flush', 'dev', name);
    await ip('addr', 'add', `${address}/32`, 'dev', name);
  }
  await ip('link', 'set', name, 'up');
  return done;
}

/** Deletes flotilla-dns0 (and with it the address); false when there was none. For `cleanup-rules`. */
export async function removeDnsInterface(name = dnsInterfaceName): Promise<boolean> {
  try {
    await run('ip', ['link', 'del', name]);
    return true;
  } catch (err) {
    if (/does not exist|Cannot find device/i.test(stderrOf(err))) return false;
    throw new Error(`ip link del ${name}: ${stderrOf(err)}`);
  }
}
