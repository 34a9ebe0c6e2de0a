// What a pod leaves on the host outside the runtime goes with it, once it has left both the
// desired state and the runtime: its directory (<dataDir>/pods/<uid>: volumes and logs) and,
// when pods run under a cgroup root, its cgroup parent <cgroupRoot>/pod<uid>, which runc
// creates but never removes (firmware-notes/host-runtime.md §1, pitfall 2).
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { removeCgroupTree } from '../runtime/instance-cleanup.js';

export async function removeStalePodDirs(
  dataDir: string,
  keep: (uid: string) => boolean,
  cgroupRoot?: string,
): Promise<string[]> {
  const root = join(dataDir, 'pods');
  const entries = await readdir(root).catch(() => [] as string[]);
  const removed: string[] = [];
  for (const uid of entries) {
    if (keep(uid)) continue;
    await rm(join(root, uid), { recursive: true, force: true });
    if (cgroupRoot) removeCgroupTree(`${cgroupRoot}/pod${uid}`);
    removed.push(uid);
  }
  return removed;
}
