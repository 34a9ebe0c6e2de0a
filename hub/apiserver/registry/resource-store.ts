// The generic registry for one resource: the write pipeline every kind goes through
// (shape checks → server-owned metadata → defaults → validation → admission → store),
// after kube-apiserver's genericregistry.Store. Kind-specific behaviour comes in as hooks. The
// steps live beside it: request-body.ts (the body as an object of the resource),
// object-lifecycle.ts (server-owned metadata), field-managers.ts (managedFields),
// graceful-deletion.ts (what DELETE does), write-request.ts (what a write asks for).

export type { NamespaceGate, UpdateRequest, WriteRequest } from './write-request.js';

import type { Clock } from '../../../api/clock.js';
import {
  ApiError,
  badRequest,
  conflict,
  type FieldError,
  type GroupResource,
  isApiError,
  notFound,
  staleResourceVersion,
} from '../../../api/errors.js';
import { groupVersion, type ResourceInfo, storageName } from '../../../api/resources.js';
import type { KubeObject } from '../../../api/types.js';
import {
  type KindValidation,
  validateCreate,
  validateStatusUpdate,
  validateSubresourceUpdate,
  validateUpdate,
} from '../../../api/validation/index.js';
import { type KindDefinition, kindValidation } from '../../kinds/kind-definition.js';
import { kindSchema } from '../../kinds/kind-schema.js';
import type { ListOptions, ListResult, Store } from '../../store/store.js';
import { applyConfiguration } from '../apply/server-side-apply.js';
import type { Schema } from '../openapi/schema-builders.js';
import { checkSchemaTypes } from '../openapi/schema-type-check.js';
import { isJsonObject } from '../patch/merge-patch.js';
import type { DeleteOptions } from './delete-options.js';
import { recordManagers } from './field-managers.js';
import { checkFields } from './field-validation.js';
import { checkDeletePreconditions, markedForDeletion } from './graceful-deletion.js';
import type { KindHooks } from './kind-hooks.js';
import { checkPatchedIdentity, checkUidPrecondition } from './object-identity.js';
import {
  bumpGeneration,
  generateNameSuffix,
  kubeTime,
  prepareForCreate,
  prepareForUpdate,
  sameObject,
} from './object-lifecycle.js';
import { expectedType, failOnErrors, nameFromUrl, objectFromBody, placeInNamespace } from './request-body.js';
import type { NamespaceGate, UpdateRequest, WriteRequest } from './write-request.js';

const conflictRetries = 5;
/** Tries of a generateName create (kube-apiserver: 8). */
const maxGenerateNameAttempts = 8;

export class ResourceStore {
  readonly info: ResourceInfo;
  readonly gr: GroupResource;
  private readonly storage: string;
  private readonly validation: KindValidation;
  /** The kind's OpenAPI schema: field types, and which fields exist at all. */
  private readonly schema: Schema;

  constructor(
    readonly definition: KindDefinition,
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly hooks: KindHooks,
    private readonly namespaceGate: NamespaceGate,
  ) {
    this.info = definition.info;
    this.gr = { group: definition.info.group, resource: definition.info.resource };
    this.storage = storageName(definition.info);
    this.validation = kindValidation(definition);
    this.schema = kindSchema(definition);
  }

  /**
   * The object as this version serves it: a custom resource served in several versions (CRD
   * conversion `None`) is the same object under each version's apiVersion.
   */
  asServed(obj: KubeObject): KubeObject {
    if (!this.definition.custom || obj.apiVersion === undefined) return obj;
    const apiVersion = groupVersion(this.info);
    return obj.apiVersion === apiVersion ? obj : { ...obj, apiVersion };
  }

  async get(namespace: string | undefined, name: string): Promise<KubeObject> {
    const obj = await this.store.get(this.storage, { namespace: this.scope(namespace), name });
    if (!obj) throw notFound(this.gr, name);
    return obj;
  }

  async list(options: ListOptions): Promise<ListResult> {
    return this.store.list(this.storage, { ...options, namespace: this.scope(options.namespace) });
  }

  async create(
    namespace: string | undefined,
    body: unknown,
    request: WriteRequest = {},
  ): Promise<KubeObject> {
    const obj = objectFromBody(body, this.info);
    placeInNamespace(obj, this.info, namespace);
    checkFields(this.info, this.schema, obj, undefined, request);
    this.checkTypes(obj);
    if (obj.metadata.resourceVersion) {
      this.fail(obj, [
        {
          field: 'metadata.resourceVersion',
          type: 'FieldValueInvalid',
          message: 'Invalid value: ' + JSON.stringify(obj.metadata.resourceVersion) + ': must be empty',
        },
      ]);
    }
    const generated = !obj.metadata.name && obj.metadata.generateName ? obj.metadata.generateName : undefined;
    const requestedManagers = obj.metadata.managedFields;
    prepareForCreate(obj, this.definition, this.clock.now());
    if (!obj.metadata.name) {
      this.fail(obj, [
        {
          field: 'metadata.name',
          type: 'FieldValueRequired',
          message: 'Required value: name or generateName is required',
        },
      ]);
    }
    if (this.info.namespaced) await this.namespaceGate(obj.metadata.namespace!, this.gr, obj.metadata.name!);
    this.hooks.normalize?.(obj);
    this.definition.default?.(obj);
    await this.hooks.mutateCreate?.(obj);
    this.recordManagers(obj, undefined, requestedManagers, request);
    this.fail(obj, validateCreate(this.validation, obj));
    request.admit?.(obj);
    const admission = this.hooks.admitCreate?.(obj);
    this.fail(obj, admission?.errors ?? []);
    if (request.dryRun) {
      admission?.rollback();
      return obj;
    }
    try {
      // A generated name that is taken is generated again, as kube-apiserver does since 1.32
      // (RetryGenerateName): 27^5 suffixes collide about once in 3,000 names among 50,000
      // pods, and each collision stopped a ReplicaSet's slow-start batch with FailedCreate.
      for (let attempt = 1; ; attempt++) {
        try {
          return await this.store.create(this.storage, obj);
        } catch (err) {
          if (
            !generated ||
            attempt >= maxGenerateNameAttempts ||
            !isApiError(err) ||
            err.reason !== 'AlreadyExists'
          )
            throw err;
          obj.metadata.name = generated + generateNameSuffix();
        }
      }
    } catch (err) {
      admission?.rollback();
      throw err;
    }
  }

  async update(
    namespace: string | undefined,
    name: string,
    body: unknown,
    request: UpdateRequest = {},
  ): Promise<KubeObject> {
    const requested = objectFromBody(body, this.info);
    nameFromUrl(requested, name);
    placeInNamespace(requested, this.info, namespace);
    const old = await this.get(namespace, name);
    const expected = requested.metadata.resourceVersion || undefined;
    if (expected !== undefined && expected !== old.metadata.resourceVersion) {
      throw conflict(this.gr, name, staleResourceVersion);
    }
    checkUidPrecondition(requested, old, this.gr);
    return this.writeUpdate(requested, old, request);
  }

  /**
   * Server-side apply of an applied configuration by `request.fieldManager`: creates the object
   * when it does not exist, else merges the configuration into it (409 on conflicting fields
   * unless `force`). `created` tells which.
   */
  async apply(
    namespace: string | undefined,
    name: string,
    body: unknown,
    request: WriteRequest & { fieldManager: string; force: boolean },
  ): Promise<{ object: KubeObject; created: boolean }> {
    const raw = body as { apiVersion?: unknown; kind?: unknown } | null;
    // Unlike other writes, an applied configuration must say what it is.
    if (typeof body === 'object' && body !== null && !Array.isArray(body)) {
      if (raw?.apiVersion === undefined || raw.apiVersion === '') throw badRequest('apiVersion must be set');
      if (raw?.kind === undefined || raw.kind === '') throw badRequest('kind must be set');
    }
    const applied = objectFromBody(body, this.info);
    nameFromUrl(applied, name);
    placeInNamespace(applied, this.info, namespace);
    const by = {
      manager: request.fieldManager,
      apiVersion: groupVersion(this.info),
      time: kubeTime(this.clock.now()),
    };
    const configure = (live: KubeObject | undefined) =>
      applyConfiguration({ live, applied, by, force: request.force, schema: this.schema, gr: this.gr });
    const writeRequest = { ...request, applied: true };
    const existing = await this.store.get(this.storage, { namespace: this.scope(namespace), name });
    if (!existing) {
      try {
        return { object: await this.create(namespace, configure(undefined), writeRequest), created: true };
      } catch (err) {
        // Created by someone else meanwhile: apply to theirs.
        if (!(isApiError(err) && err.reason === 'AlreadyExists')) throw err;
      }
    }
    return { object: await this.modify(namespace, name, configure, writeRequest), created: false };
  }

  /** Read-modify-write with optimistic concurrency, retried on conflict (patch and subresources). */
  async modify(
    namespace: string | undefined,
    name: string,
    change: (current: KubeObject) => KubeObject,
    request: UpdateRequest = {},
  ): Promise<KubeObject> {
    for (let attempt = 0; ; attempt++) {
      const old = await this.get(namespace, name);
      const next = change(structuredClone(old) as KubeObject);
      if (!isJsonObject(next.metadata)) throw badRequest('metadata: must be an object');
      checkPatchedIdentity(next, old, { ...expectedType(this.info), group: this.info.group }, name);
      if (next.metadata.resourceVersion && next.metadata.resourceVersion !== old.metadata.resourceVersion) {
        throw conflict(this.gr, name, staleResourceVersion);
      }
      placeInNamespace(next, this.info, namespace);
      try {
        return await this.writeUpdate(next, old, request);
      } catch (err) {
        const retry = err instanceof ApiError && err.reason === 'Conflict' && attempt < conflictRetries;
        if (!retry) throw err;
      }
    }
  }

  async delete(namespace: string | undefined, name: string, options: DeleteOptions): Promise<KubeObject> {
    for (let attempt = 0; ; attempt++) {
      const current = await this.get(namespace, name);
      try {
        return await this.deleteObject(current, options);
      } catch (err) {
        const retry =
          err instanceof ApiError &&
          err.reason === 'Conflict' &&
          attempt < conflictRetries &&
          !options.preconditions?.resourceVersion;
        if (!retry) throw err;
      }
    }
  }

  private async deleteObject(current: KubeObject, options: DeleteOptions): Promise<KubeObject> {
    checkDeletePreconditions(current, options, this.gr);
    this.hooks.beforeDelete?.(current);
    const marked = markedForDeletion(current, options, this.hooks, this.clock.now());
    if (marked) {
      if (options.dryRun || sameObject(marked, current)) return current;
      return this.store.update(this.storage, marked, { resourceVersion: current.metadata.resourceVersion });
    }
    if (options.dryRun) return current;
    const deleted = await this.store.delete(
      this.storage,
      { namespace: current.metadata.namespace, name: current.metadata.name! },
      { resourceVersion: current.metadata.resourceVersion },
    );
    this.hooks.afterDelete?.(deleted);
    return deleted;
  }

  private async writeUpdate(
    requested: KubeObject,
    old: KubeObject,
    request: UpdateRequest,
  ): Promise<KubeObject> {
    const sub = request.subresource;
    const main = sub === undefined;
    // The whole body, as kube-apiserver decodes it: also the parts a subresource then ignores.
    checkFields(this.info, this.schema, requested, old, request);
    const requestedManagers = requested.metadata.managedFields;
    const next = prepareForUpdate(requested, old, this.definition, request.subresource);
    // Before defaulting and the kind's rules, which may rely on the types (after a patch too).
    this.checkTypes(next, old);
    if (main) this.hooks.normalize?.(next);
    // Added ephemeral containers get the container defaults (the rest was defaulted before).
    if (main || sub === 'ephemeralcontainers') this.definition.default?.(next);
    bumpGeneration(next, old);
    this.recordManagers(next, old, requestedManagers, request);
    const errors = main
      ? validateUpdate(this.validation, next, old)
      : sub === 'ephemeralcontainers'
        ? validateSubresourceUpdate(this.validation, sub, next, old)
        : validateStatusUpdate(this.validation, next, old);
    this.fail(next, errors);
    if (main) request.admit?.(next, old);
    const admission = main ? this.hooks.admitUpdate?.(next, old) : undefined;
    this.fail(next, admission?.errors ?? []);
    next.metadata.resourceVersion = old.metadata.resourceVersion;
    if (request.dryRun || sameObject(next, old)) {
      admission?.rollback();
      return request.dryRun ? next : old;
    }
    // The last finalizer removed from an object being deleted completes the deletion.
    const finishing =
      next.metadata.deletionTimestamp &&
      (next.metadata.finalizers ?? []).length === 0 &&
      !this.hooks.holdsDeletion?.(next) &&
      !(next.metadata.deletionGracePeriodSeconds ?? 0);
    try {
      if (finishing) {
        const deleted = await this.store.delete(
          this.storage,
          { namespace: next.metadata.namespace, name: next.metadata.name! },
          {
            resourceVersion: old.metadata.resourceVersion,
          },
        );
        this.hooks.afterDelete?.(deleted);
        return deleted;
      }
      const stored = await this.store.update(this.storage, next, {
        resourceVersion: old.metadata.resourceVersion,
      });
      this.hooks.afterUpdate?.(stored, old);
      return stored;
    } catch (err) {
      admission?.rollback();
      throw err;
    }
  }

  private scope(namespace: string | undefined): string | undefined {
    return this.info.namespaced ? namespace : undefined;
  }

  private recordManagers(
    next: KubeObject,
    old: KubeObject | undefined,
    requested: unknown,
    request: UpdateRequest,
  ): void {
    recordManagers(next, old, requested, request, {
      info: this.info,
      schema: this.schema,
      now: this.clock.now(),
    });
  }

  /** Every field's JSON type and integer range, from the kind's OpenAPI schema. */
  private checkTypes(obj: KubeObject, old?: KubeObject): void {
    this.fail(obj, checkSchemaTypes(this.schema, obj, old));
  }

  private fail(obj: KubeObject, errors: FieldError[]): void {
    failOnErrors(this.info, obj, errors);
  }
}
