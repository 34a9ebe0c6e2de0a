// Ephemeral containers (kube's validateEphemeralContainers and
// ValidatePodEphemeralContainersUpdate): debugging containers added to a running pod through
// pods/{name}/ephemeralcontainers. They share the container rules, must be named uniquely
// across every container list, may target only a regular or init container, and may not ask
// for what would make the pod depend on them (ports, probes, lifecycle hooks, resources).
// Once added they are never changed or removed.
import { type FieldError, forbidden } from '../errors.js';
import type { KubeObject } from '../types.js';
import { type ContainerContext, validateContainers } from './container.js';
import { changedPaths } from './deep-equal.js';
import { fieldNotFound } from './field-errors.js';
import { isRecord, type JsonRecord, readRecords, readString } from './field-readers.js';

/** Fields of EphemeralContainerCommon kube does not allow (the `false` entries of its allow list). */
const forbiddenFields = [
  'ports',
  'resources',
  'resizePolicy',
  'livenessProbe',
  'readinessProbe',
  'startupProbe',
  'lifecycle',
  'restartPolicy',
];
const forbiddenDetail = 'cannot be set for an Ephemeral Container';

/**
 * Go's zero value as kube's allow list sees it: absent, or a struct whose fields are all zero
 * (the `resources: {}` defaulting adds). A list, even empty, counts as set.
 */
function isZero(value: unknown): boolean {
  if (value === undefined || value === null || value === false || value === 0 || value === '') return true;
  return isRecord(value) && Object.values(value).every(isZero);
}

/**
 * `ctx.usedNames` holds the names of the containers and init containers (validated before);
 * ephemeral names are added to it.
 */
export function validateEphemeralContainers(
  value: unknown,
  path: string,
  ctx: ContainerContext,
): FieldError[] {
  const targets = new Set(ctx.usedNames);
  // The shared rules, names unique across every list included; then what is ephemeral-only.
  const errs = validateContainers(value, path, ctx, 'ephemeral');
  for (const [container, at] of readRecords([], value, path)) {
    const target = readString(errs, container.targetContainerName, `${at}.targetContainerName`);
    if (target && !targets.has(target)) errs.push(fieldNotFound(`${at}.targetContainerName`, target));
    for (const key of forbiddenFields) {
      if (!isZero(container[key])) errs.push(forbidden(`${at}.${key}`, forbiddenDetail));
    }
    // Sub-paths are bind mounts left until the pod ends: a debugging container may not leave them.
    for (const [mount, mountAt] of readRecords([], container.volumeMounts, `${at}.volumeMounts`)) {
      for (const key of ['subPath', 'subPathExpr']) {
        if (!isZero(mount[key])) errs.push(forbidden(`${mountAt}.${key}`, forbiddenDetail));
      }
    }
  }
  return errs;
}

/** An ephemeral container's name, or undefined when it has none (validated elsewhere). */
function nameOf(container: unknown): string | undefined {
  return isRecord(container) && typeof container.name === 'string' ? container.name : undefined;
}

function ephemeralOf(pod: KubeObject): JsonRecord[] {
  const spec = isRecord(pod.spec) ? pod.spec : {};
  return Array.isArray(spec.ephemeralContainers) ? spec.ephemeralContainers.filter(isRecord) : [];
}

/**
 * The pods/ephemeralcontainers rule: every existing ephemeral container is still there,
 * unchanged (patches may reorder the list, so they are matched by name); only additions pass.
 */
export function validateEphemeralContainersUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const path = 'spec.ephemeralContainers';
  const now = new Map<string, JsonRecord>();
  for (const container of ephemeralOf(obj)) {
    const name = nameOf(container);
    if (name !== undefined && !now.has(name)) now.set(name, container);
  }
  const errs: FieldError[] = [];
  for (const before of ephemeralOf(old)) {
    const name = nameOf(before) ?? '';
    const after = now.get(name);
    if (!after) {
      errs.push(forbidden(path, `existing ephemeral containers ${JSON.stringify(name)} may not be removed`));
      continue;
    }
    const changed = changedPaths(before, after, `${path}[${JSON.stringify(name)}]`);
    if (changed.length > 0) {
      errs.push(
        forbidden(
          path,
          `existing ephemeral containers ${JSON.stringify(name)} may not be changed\nchanged: ${changed.join(', ')}`,
        ),
      );
    }
  }
  return errs;
}

/** Pods are created without ephemeral containers: they come only through the subresource. */
export function validateNoEphemeralContainers(spec: unknown, path: string, detail: string): FieldError[] {
  const list = isRecord(spec) ? spec.ephemeralContainers : undefined;
  return Array.isArray(list) && list.length > 0 ? [forbidden(path, detail)] : [];
}
