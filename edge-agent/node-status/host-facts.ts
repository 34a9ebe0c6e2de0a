// Thin collectors of what the gateway is: static facts (collected at start and at each connect)
// and usage (collected every status check). systeminformation answers for the OS, the machine
// and memory; statfs(2) on the data dir answers for the filesystem pods write to (kubelet's
// nodefs); /proc answers for PIDs. Every reading that fails is left out rather than guessed.
import { readFile, statfs } from 'node:fs/promises';
import { hostname, networkInterfaces } from 'node:os';
import * as si from 'systeminformation';
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

/**
 * ARM boards name themselves in the device tree (`Raspberry Pi 4 Model B Rev 1.4`, NUL-ended);
 * PCs and industrial x86 boxes in DMI, which systeminformation reads.
 */
async function hardwareModel(): Promise<string> {
  const tree = await quietly(() => readFile('/proc/device-tree/model', 'utf8'));
  const fromTree = tree?.replace(/\0/g, '').trim();
  if (fromTree) return fromTree;
  const system = await quietly(() => si.system());
  return [system?.manufacturer, system?.model]
    .map((part) => part?.trim() ?? '')
    .filter((part) => part && part !== 'Default string')
    .join(' ');
}

export async function collectHostInfo(dataDir: string): Promise<HostInfo> {
  const [os, cpu, mem, uuid, disk, bootID, model] = await Promise.all([
    quietly(() => si.osInfo()),
    quietly(() => si.cpu()),
    quietly(() => si.mem()),
    quietly(() => si.uuid()),
    diskUsage(dataDir),
    quietly(() => readFile('/proc/sys/kernel/random/boot_id', 'utf8')),
    hardwareModel(),
  ]);
  const osImage = os ? `${os.distro} ${os.release}${os.codename ? ` (${os.codename})` : ''}`.trim() : '';
  return {
    hostname: hostname(),
    arch: process.arch,
    platform: process.platform,
    cpuCores: cpu?.cores ?? 1,
    memoryTotalBytes: mem?.total ?? 0,
    diskTotalBytes: disk?.totalBytes ?? 0,
    kernelVersion: os?.kernel ?? '',
    osImage,
    machineID: uuid?.os ?? '',
    bootID: bootID?.trim() ?? '',
    hardwareModel: model,
    interfaces: networkInterfaces(),
  };
}

export async function collectHostUsage(dataDir: string): Promise<HostUsage> {
  const [mem, disk, pids] = await Promise.all([quietly(() => si.mem()), diskUsage(dataDir), pidUsage()]);
  return { memoryAvailableBytes: mem?.available, disk, pids };
}

/** This machine's InternalIP addresses now, as registration reports them (they can change). */
export function localInternalIPs(): string[] {
  return nodeAddresses({ hostname: hostname(), interfaces: networkInterfaces() })
    .filter((a) => a.type === 'InternalIP')
    .map((a) => a.address);
}
