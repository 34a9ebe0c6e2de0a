// apiextensions.k8s.io/v1 CustomResourceDefinition. The custom resource's own schema
// (spec.versions[].schema.openAPIV3Schema) is free-form here: structural-schema.ts checks it.
import {
  apiSchemaName,
  bool,
  int32,
  kindSchema,
  listKindSchema,
  listOf,
  mergeList,
  object,
  openObject,
  ref,
  type SchemaTable,
  setList,
  str,
  time,
} from './schema-builders.js';

const gvk = { group: 'apiextensions.k8s.io', version: 'v1', kind: 'CustomResourceDefinition' };
const name = (kind: string) => apiSchemaName(gvk.group, gvk.version, kind);

const names = object(
  {
    categories: listOf(str(), 'Groups this resource belongs to, such as `all` (kubectl get all).'),
    kind: str('The kind of the objects, in CamelCase: what manifests put in `kind`.'),
    listKind: str('The kind of a list of them; defaults to `<kind>List`.'),
    plural: str('The plural, lower case: the resource name in URLs and `kubectl get`.'),
    shortNames: listOf(str(), 'Shorter names kubectl accepts for the resource.'),
    singular: str('The singular, lower case; defaults to the kind in lower case.'),
  },
  { required: ['plural', 'kind'] },
);

const printerColumn = object(
  {
    description: str(),
    format: str(),
    jsonPath: str('Where the value is read from in each object, such as `.spec.replicas`.'),
    name: str('The column heading.'),
    priority: int32('0: always shown; more: only with `kubectl get -o wide`.'),
    type: str('integer, number, string, boolean or date (printed as an age).'),
  },
  { required: ['name', 'type', 'jsonPath'] },
);

const version = object(
  {
    additionalPrinterColumns: listOf(ref(name('CustomResourceColumnDefinition'))),
    deprecated: bool(),
    deprecationWarning: str(),
    name: str('The version name in URLs and apiVersion, such as v1 or v1beta1.'),
    schema: object({ openAPIV3Schema: openObject('The schema objects of this version must match.') }),
    selectableFields: listOf(object({ jsonPath: str() }, { required: ['jsonPath'] })),
    served: bool('Whether the API serves this version.'),
    storage: bool('Whether objects are stored in this version; exactly one version is.'),
    subresources: object({
      scale: object(
        { labelSelectorPath: str(), specReplicasPath: str(), statusReplicasPath: str() },
        { required: ['specReplicasPath', 'statusReplicasPath'] },
      ),
      status: openObject('Present: the status is written only through the /status subresource.'),
    }),
  },
  { required: ['name', 'served', 'storage'] },
);

const condition = object(
  { lastTransitionTime: time(), message: str(), reason: str(), status: str(), type: str() },
  { required: ['type', 'status'] },
);

export const apiextensionsSchemas: SchemaTable = {
  [name('CustomResourceDefinition')]: kindSchema(
    gvk,
    {
      spec: object(
        {
          conversion: object({
            strategy: str('None: versions differ only in apiVersion.'),
            webhook: openObject(),
          }),
          group: str('The API group of the resource, such as stable.example.com.'),
          names: ref(name('CustomResourceDefinitionNames')),
          preserveUnknownFields: bool(),
          scope: str('Namespaced or Cluster.'),
          versions: listOf(ref(name('CustomResourceDefinitionVersion'))),
        },
        { required: ['group', 'names', 'scope', 'versions'] },
      ),
      status: object({
        acceptedNames: ref(name('CustomResourceDefinitionNames')),
        conditions: mergeList(ref(name('CustomResourceDefinitionCondition')), 'type'),
        storedVersions: setList(str()),
      }),
    },
    'A new kind of object the API serves, with its names, versions and schema.',
  ),
  [name('CustomResourceDefinitionList')]: listKindSchema(gvk),
  [name('CustomResourceDefinitionNames')]: names,
  [name('CustomResourceDefinitionVersion')]: version,
  [name('CustomResourceColumnDefinition')]: printerColumn,
  [name('CustomResourceDefinitionCondition')]: condition,
};
