// What a containerd instance can leave on the host after its pods are gone or it was killed:
// mounts under its directory (rootfs overlays, shm, netns pins), runc containers whose shim
// died, cgroupfs parents (runc creates /<parent>/pod<uid> but never removes it), and CNI's
// result cache (keyed by network name). Each helper touches only paths derived from one
// instance; firmware-notes/host-runtime.md §2 gives the order in which to call them.
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, realpathSync, rmdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

interface MountEntry {
  mountPoint: string;
  fsType: string;
}

/** mountinfo escapes space, tab, newline and backslash as octal (\040). */
function unescapeMountPath(path: string): string {
  return path.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(Number.parseInt(octal, 8)));
}

export function readMounts(mountinfo = '/proc/self/mountinfo'): MountEntry[] {
  const entries: MountEntry[] = [];
  for (const line of readFileSync(mountinfo, 'utf8').split('\n')) {
    const [before, after] = line.split(' - ');
    const mountPoint = before?.split(' ')[4];
    const fsType = after?.split(' ')[0];
    if (mountPoint && fsType) entries.push({ mountPoint: unescapeMountPath(mountPoint), fsType });
  }
  return entries;
}

/** Mount points strictly under `dir`, deepest first. */
export function mountsUnder(dir: string): string[] {
  const prefix = dir.endsWith('/') ? dir : `${dir}/`;
  const points = readMounts()
    .map((entry) => entry.mountPoint)
    .filter((point) => point.startsWith(prefix));
  return [...new Set(points)].sort((a, b) => b.length - a.length);
}

/** Unmounts everything under `dir` (lazily when busy); returns what is still mounted. */
export async function unmountUnder(dir: string): Promise<string[]> {
  for (let pass = 0; pass < 3; pass++) {
    const points = mountsUnder(dir);
    if (points.length === 0) return [];
    for (const point of points) {
      try {
        await run('umount', [point]);
      } catch {
        await run('umount', ['-l', point]).catch(() => undefined);
      }
    }
  }
  return mountsUnder(dir);
}

/** Every mounted cgroup hierarchy (v1 controllers, name=systemd, the v2 unified tree). */
export function cgroupMountPoints(): string[] {
  const points = readMounts()
    .filter((entry) => entry.fsType === 'cgroup' || entry.fsType === 'cgroup2')
    .map((entry) => entry.mountPoint);
  const unique = new Map<string, string>();
  for (const point of points) {
    try {
      unique.set(realpathSync(point), point);
    } catch {
      // vanished
    }
  }
  return [...unique.values()];
}

function removeTree(dir: string, failures: string[]): void {
  let children: string[];
  try {
    children = readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
  } catch {
    return; // not there in this hierarchy
  }
  for (const child of children) removeTree(join(dir, child), failures);
  try {
    rmdirSync(dir);
  } catch {
    failures.push(dir);
  }
}

/**
 * Removes the cgroupfs subtree `relative` (e.g. /flotilla/gw1) in every hierarchy, children
 * first; cgroup directories go with rmdir once no process is left in them. Returns the
 * directories that could not be removed.
 */
export function removeCgroupTree(relative: string): string[] {
  if (!relative.startsWith('/') || relative === '/' || relative.includes('..')) {
    throw new Error(`cgroupRoot must be an absolute cgroup path below the root, got '${relative}'`);
  }
  const failures: string[] = [];
  for (const point of cgroupMountPoints()) removeTree(join(point, relative), failures);
  return failures;
}

/** Force-deletes runc containers left in a per-instance runc root (one subdirectory per namespace). */
export async function deleteRuncContainers(runc: string, runcRoot: string): Promise<void> {
  let namespaces: string[];
  try {
    namespaces = readdirSync(runcRoot);
  } catch {
    return;
  }
  for (const namespace of namespaces) {
    const root = join(runcRoot, namespace);
    const listed = await run(runc, ['--root', root, 'list', '--format', 'json']).catch(() => ({
      stdout: '',
    }));
    const containers = (JSON.parse(listed.stdout.trim() || 'null') ?? []) as { id: string }[];
    for (const { id } of containers) {
      await run(runc, ['--root', root, 'delete', '--force', id]).catch(() => undefined);
    }
  }
}

export const CNI_RESULTS_DIR = '/var/lib/cni/results';

/**
 * CNI's cached ADD results (`<network>-<sandbox id>-<ifname>`) of an instance's network and of
 * the loopback network that the CRI plugin sets up in each of its sandboxes.
 */
export function removeCniResults(
  networkName: string | undefined,
  sandboxIds: string[],
  dir: string = CNI_RESULTS_DIR,
): void {
  const prefixes = sandboxIds.map((id) => `cni-loopback-${id}-`);
  if (networkName) prefixes.push(`${networkName}-`);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (prefixes.some((prefix) => name.startsWith(prefix))) rmSync(join(dir, name), { force: true });
  }
}

/** IDs of the sandboxes an instance knows of, from the CRI plugin's directories. */
export function sandboxIdsOnDisk(root: string, state: string): string[] {
  const ids = new Set<string>();
  for (const base of [root, state]) {
    try {
      for (const id of readdirSync(join(base, 'io.containerd.grpc.v1.cri', 'sandboxes'))) ids.add(id);
    } catch {
      // none
    }
  }
  return [...ids];
}
