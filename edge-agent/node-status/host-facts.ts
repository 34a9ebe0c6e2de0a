// Thin collectors of what the gateway is: static facts (collected at start and at each connect)
// and usage (collected every status check), read where the kubelet (cAdvisor) reads them:
// /etc/os-release, /etc/machine-id, /proc/meminfo, the device tree or DMI in /sys; statfs(2) on
// the data dir for the filesystem pods write to (kubelet's nodefs); /proc for PIDs. Every reading
// that fails is left out rather than guessed. (systeminformation answered for the OS, the
// machine and memory before: 2-3 MiB of the agent's RSS for a few files, and a shell spawned for
// some of them.)
import { readFile, statfs } from 'node:fs/promises';
import { cpus, hostname, networkInterfaces, release, totalmem } from 'node:os';
import { nodeAddresses } from './node-report.js';

export interface DiskUsage {
  totalBytes: number;
  availableBytes: number;
  inodesTotal: number;
  inodesFree: number;
}

export interface HostUsage {
  memoryAvailableBytes?: number | undefined;
  disk?: DiskUsage | undefined;
  /** Threads in use (the kernel's PIDs) and the limit, from /proc. */
  pids?: { used: number; max: number } | undefined;
}

export interface HostInfo {
  hostname: string;
  arch: string;
  platform: string;
  cpuCores: number;
  memoryTotalBytes: number;
  diskTotalBytes: number;
  kernelVersion: string;
  osImage: string;
  machineID: string;
  bootID: string;
  /** The hardware model, '' when unknown (hardwareModel in node-registration.ts). */
  hardwareModel: string;
  interfaces: ReturnType<typeof networkInterfaces>;
}

async function quietly<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch {
    return undefined;
  }
}

/** The first of these files that can be read, trimmed and not empty. */
async function firstFile(paths: string[]): Promise<string | undefined> {
  for (const path of paths) {
    const text = (await quietly(() => readFile(path, 'utf8')))?.replace(/\0/g, '').trim();
    if (text) return text;
  }
  return undefined;
}

/** os-release(5)'s PRETTY_NAME, as the kubelet reports osImage (`Debian GNU/Linux 12 (bookworm)`). */
export function osImageOf(osRelease: string): string {
  for (const line of osRelease.split('\n')) {
    const match = /^PRETTY_NAME=(.*)$/.exec(line.trim());
    if (match) return match[1]!.replace(/^(["'])(.*)\1$/, '$2').replace(/\\(.)/g, '$1');
  }
  return '';
}

/** A field of /proc/meminfo in bytes (`MemAvailable:  123456 kB`). */
export function meminfoBytes(meminfo: string, field: string): number | undefined {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(meminfo);
  return match ? Number(match[1]) * 1024 : undefined;
}

export async function diskUsage(path: string): Promise<DiskUsage | undefined> {
  const fs = await quietly(() => statfs(path));
  if (!fs) return undefined;
  return {
    totalBytes: fs.blocks * fs.bsize,
    availableBytes: fs.bavail * fs.bsize,
    inodesTotal: fs.files,
    inodesFree: fs.ffree,
  };
}

async function pidUsage(): Promise<HostUsage['pids']> {
  const [loadavg, pidMax] = await Promise.all([
    quietly(() => readFile('/proc/loadavg', 'utf8')),
    quietly(() => readFile('/proc/sys/kernel/pid_max', 'utf8')),
  ]);
  // /proc/loadavg's fourth field is running/total scheduling entities (threads).
  const used = Number(loadavg?.split(' ')[3]?.split('/')[1]);
  const max = Number(pidMax?.trim());
  return Number.isFinite(used) && max > 0 ? { used, max } : undefined;
}

const dmi = '/sys/devices/virtual/dmi/id';

/**
 * ARM boards name themselves in the device tree (`Raspberry Pi 4 Model B Rev 1.4`, NUL-ended);
 * PCs and industrial x86 boxes in DMI (vendor and product; firmware placeholders left out).
 */
async function hardwareModel(): Promise<string> {
  const fromTree = await firstFile(['/proc/device-tree/model']);
  if (fromTree) return fromTree;
  const parts = await Promise.all([firstFile([`${dmi}/sys_vendor`]), firstFile([`${dmi}/product_name`])]);
  return parts.filter((part): part is string => part !== undefined && part !== 'Default string').join(' ');
}

export async function collectHostInfo(dataDir: string): Promise<HostInfo> {
  const [osRelease, machineID, disk, bootID, model] = await Promise.all([
    firstFile(['/etc/os-release', '/usr/lib/os-release']),
    firstFile(['/etc/machine-id', '/var/lib/dbus/machine-id']),
    diskUsage(dataDir),
    firstFile(['/proc/sys/kernel/random/boot_id']),
    hardwareModel(),
  ]);
  return {
    hostname: hostname(),
    arch: process.arch,
    platform: process.platform,
    cpuCores: Math.max(1, cpus().length),
    memoryTotalBytes: totalmem(),
    diskTotalBytes: disk?.totalBytes ?? 0,
    kernelVersion: release(),
    osImage: osRelease ? osImageOf(osRelease) : '',
    machineID: machineID?.toLowerCase() ?? '',
    bootID: bootID ?? '',
    hardwareModel: model,
    interfaces: networkInterfaces(),
  };
}

export async function collectHostUsage(dataDir: string): Promise<HostUsage> {
  const [meminfo, disk, pids] = await Promise.all([
    quietly(() => readFile('/proc/meminfo', 'utf8')),
    diskUsage(dataDir),
    pidUsage(),
  ]);
  const memoryAvailableBytes = meminfo ? meminfoBytes(meminfo, 'MemAvailable') : undefined;
  return { memoryAvailableBytes, disk, pids };
}

/** This machine's InternalIP addresses now, as registration reports them (they can change). */
export function localInternalIPs(): string[] {
  return nodeAddresses({ hostname: hostname(), interfaces: networkInterfaces() })
    .filter((a) => a.type === 'InternalIP')
    .map((a) => a.address);
}
