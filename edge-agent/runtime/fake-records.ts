// The records FakeRuntime keeps, the copies it hands out so callers cannot change them, and the
// error for an ID it does not hold.
import {
  type ContainerConfig,
  type ContainerStatus,
  type ImageInfo,
  RuntimeError,
  type SandboxConfig,
  type SandboxStatus,
} from './container-runtime.js';
import type { FakeConsole } from './fake-attach.js';
import type { FakeFilesystem } from './fake-commands/fake-filesystem.js';
import type { FakeContainerProcess } from './fake-container-process.js';

export interface SandboxRecord {
  status: SandboxStatus;
  config: SandboxConfig;
}

export interface ContainerRecord {
  status: ContainerStatus;
  config: ContainerConfig;
  sandbox: SandboxConfig;
  /** Its attached clients (fake-attach.ts), made at the first attach. */
  console?: FakeConsole;
  fs: FakeFilesystem;
  /** Its main process, while a command runs. */
  process?: FakeContainerProcess;
}

export function copySandboxStatus(status: SandboxStatus): SandboxStatus {
  return {
    ...status,
    metadata: { ...status.metadata },
    labels: { ...status.labels },
    annotations: { ...status.annotations },
  };
}

export function copyContainerStatus(status: ContainerStatus): ContainerStatus {
  return { ...status, labels: { ...status.labels }, annotations: { ...status.annotations } };
}

export function copyImage(image: ImageInfo): ImageInfo {
  return { ...image, repoTags: [...image.repoTags], repoDigests: [...image.repoDigests] };
}

export function copySandboxConfig(config: SandboxConfig): SandboxConfig {
  return structuredClone(config);
}

export function copyContainerConfig(config: ContainerConfig): ContainerConfig {
  return structuredClone(config);
}

/** containerd's NotFound for an unknown ID, in its words. */
export function notFound(method: string, kind: string, id: string): RuntimeError {
  return new RuntimeError('NotFound', `${method}: ${kind} "${id}" not found`);
}
