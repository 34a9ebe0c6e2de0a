// Everything the hub knows about one kind it serves, in one place: what discovery and routing
// need (group, version, plural, scope, names, verbs, subresources), how `kubectl get` prints it,
// how it is validated and stored, and how kubectl's protobuf form of it is decoded. The OpenAPI
// schema of the kind (component `io.k8s.api.<group>.<version>.<Kind>`) carries its fields, their
// descriptions and patch strategies; strategic merge patch and field validation read them there.
import type { ResourceInfo } from '../../api/resources.js';
import type { KubeObject } from '../../api/types.js';
import type { KindRule, KindValidation, StatusRule } from '../../api/validation/index.js';
import type { NameFormat } from '../../api/validation/object-meta.js';
import type { SchemaTable } from '../apiserver/openapi/schema-builders.js';
import type { KindHooks } from '../apiserver/registry/kind-hooks.js';
import type { ServiceAllocations } from '../apiserver/registry/service-allocations.js';
import type { SiteIndex } from '../apiserver/registry/site-index.js';
import type { KindPrinter } from '../apiserver/tables/table-types.js';
import type { Store } from '../store/store.js';

/** What the storage of several objects shares (a Service's ClusterIP and NodePorts, the Sites' pools). */
export interface SharedState {
  allocations: ServiceAllocations;
  sites: SiteIndex;
  store: Store;
  /** Admission plugins that are on (kube-apiserver's --enable-admission-plugins). */
  admission: AdmissionOptions;
}

export interface AdmissionOptions {
  /** Pods get their ServiceAccount checked and its token mounted (the ServiceAccount plugin). */
  serviceAccount?: boolean | undefined;
}

/** Where a kind keeps its replica counts, for the scale subresource (JSON paths such as `.spec.replicas`). */
export interface ScalePaths {
  specReplicasPath: string;
  statusReplicasPath: string;
  /** Where the status keeps the pods' label selector as a string. */
  labelSelectorPath?: string;
}

export interface KindDefinition {
  readonly info: ResourceInfo;
  /** Served for a CustomResourceDefinition (no strategic merge patch, no protobuf). */
  readonly custom?: boolean;
  /** `kubectl get` columns; NAME and AGE when absent. */
  readonly printer?: KindPrinter;
  /** Kubernetes defaulting, in place, before validation (on a copy the caller owns). */
  readonly default?: (obj: KubeObject) => void;
  /** Field rules after defaulting, on create and update. */
  readonly validate?: KindRule;
  readonly validateStatus?: StatusRule;
  /**
   * Rules of writes through subresources that change more than the status (pods'
   * `ephemeralcontainers`): the object after the write and before it.
   */
  readonly subresourceRules?: Readonly<Record<string, StatusRule>>;
  /** Format of metadata.name; a DNS subdomain when absent. */
  readonly nameFormat?: NameFormat;
  /** A create request's status is dropped: controllers fill it. */
  readonly clearStatusOnCreate?: boolean;
  /** Field selectors besides metadata.name and metadata.namespace (kube's field label conversions). */
  readonly fieldLabels?: readonly string[];
  /** Where storing this kind differs from the generic pipeline. */
  readonly hooks?: (shared: SharedState) => KindHooks;
  /**
   * OpenAPI component schemas of its own, beside the built-in ones (a custom resource's schema,
   * from its CustomResourceDefinition).
   */
  readonly schemas?: SchemaTable;
  /**
   * A built-in kind's OpenAPI table (apiserver/openapi/*-schemas.ts): its schema, its list's, and
   * the sub-structures only its group uses; kinds of one group may share one table. The hub
   * publishes the union of these and the tables every kind shares (schema-registry.ts), so a
   * new kind's schema is published by naming it here.
   */
  readonly openapi?: SchemaTable;
  /** The scale subresource's paths, for a custom resource (built-in kinds use spec.replicas). */
  readonly scale?: ScalePaths;
  /** The Scale's status.selector, for a kind whose spec.selector is not a metav1.LabelSelector. */
  readonly scaleSelector?: (obj: KubeObject) => string;
  /**
   * An authentication or authorization review: create-only, answered from the request and the
   * requester's identity (hub/apiserver/auth/reviews.ts), never stored.
   */
  readonly review?: boolean;
  /**
   * metrics.k8s.io usage (`node` or `pods`): get and list only, read from the gateways
   * (hub/apiserver/metrics/metrics-handler.ts), never stored.
   */
  readonly usage?: 'node' | 'pods';
  /**
   * Full name of the protobuf message kubectl's typed clients send (k8s.io.api.apps.v1.Deployment),
   * when the hub decodes it. The message is built from the kind's schema, whose objects must then
   * number every field (apiserver/openapi/protobuf-fields.ts).
   */
  readonly protobufMessage?: string;
}

const allVerbs = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

type ResourceNames = Pick<ResourceInfo, 'group' | 'version' | 'resource' | 'kind' | 'namespaced'> &
  Partial<Pick<ResourceInfo, 'shortNames' | 'categories' | 'verbs' | 'subresources'>>;

/** A ResourceInfo with Kubernetes' defaults: singular = lower-case kind, every verb, no extras. */
export function resourceInfo(names: ResourceNames): ResourceInfo {
  return {
    group: names.group,
    version: names.version,
    resource: names.resource,
    singular: names.kind.toLowerCase(),
    kind: names.kind,
    namespaced: names.namespaced,
    shortNames: names.shortNames ?? [],
    categories: names.categories ?? [],
    verbs: names.verbs ?? allVerbs,
    subresources: names.subresources ?? [],
  };
}

/** What validation reads of a kind. */
export function kindValidation(kind: KindDefinition): KindValidation {
  return {
    namespaced: kind.info.namespaced,
    nameFormat: kind.nameFormat,
    validate: kind.validate,
    validateStatus: kind.validateStatus,
    subresourceRules: kind.subresourceRules,
  };
}
