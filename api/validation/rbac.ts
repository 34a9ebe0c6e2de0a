// rbac.authorization.k8s.io/v1 rules (kube's pkg/apis/rbac/validation): Role, ClusterRole,
// RoleBinding, ClusterRoleBinding. Bindings' roleRef cannot change once written.

import { type FieldError, invalidValue, notSupported, required } from '../errors.js';
import { rbacGroup } from '../rbac/rbac-types.js';
import type { KubeObject } from '../types.js';
import { jsonEqual } from './deep-equal.js';
import { requiredBecause } from './field-errors.js';
import { readRecord, readRecords, readString, readStrings } from './field-readers.js';
import { validateLabelSelector } from './label-selector.js';
import { pathSegmentNameProblems } from './name-formats.js';

export function validateRole(obj: KubeObject): FieldError[] {
  return validateRules(obj.rules, true);
}

export function validateClusterRole(obj: KubeObject): FieldError[] {
  const errs = validateRules(obj.rules, false);
  const aggregation = readRecord(errs, obj.aggregationRule, 'aggregationRule');
  if (aggregation) {
    const selectors = readRecords(
      errs,
      aggregation.clusterRoleSelectors,
      'aggregationRule.clusterRoleSelectors',
    );
    if (selectors.length === 0) {
      errs.push(
        requiredBecause(
          'aggregationRule.clusterRoleSelectors',
          'at least one clusterRoleSelector required if aggregationRule is non-nil',
        ),
      );
    }
    for (const [selector, path] of selectors) errs.push(...validateLabelSelector(selector, path));
  }
  return errs;
}

function validateRules(value: unknown, namespaced: boolean): FieldError[] {
  const errs: FieldError[] = [];
  for (const [rule, path] of readRecords(errs, value, 'rules')) {
    const verbs = readStrings(errs, rule.verbs, `${path}.verbs`);
    const apiGroups = readStrings(errs, rule.apiGroups, `${path}.apiGroups`);
    const resources = readStrings(errs, rule.resources, `${path}.resources`);
    const resourceNames = readStrings(errs, rule.resourceNames, `${path}.resourceNames`);
    const urls = readStrings(errs, rule.nonResourceURLs, `${path}.nonResourceURLs`);
    if (verbs.length === 0)
      errs.push(requiredBecause(`${path}.verbs`, 'verbs must contain at least one value'));
    if (urls.length > 0) {
      if (namespaced) {
        errs.push(
          invalidValue(`${path}.nonResourceURLs`, urls, 'namespaced rules cannot apply to non-resource URLs'),
        );
      }
      if (apiGroups.length > 0 || resources.length > 0 || resourceNames.length > 0) {
        errs.push(
          invalidValue(
            `${path}.nonResourceURLs`,
            urls,
            'rules cannot apply to both regular resources and non-resource URLs',
          ),
        );
      }
      continue;
    }
    if (apiGroups.length === 0) {
      errs.push(requiredBecause(`${path}.apiGroups`, 'resource rules must supply at least one api group'));
    }
    if (resources.length === 0) {
      errs.push(requiredBecause(`${path}.resources`, 'resource rules must supply at least one resource'));
    }
  }
  return errs;
}

export function validateRoleBinding(obj: KubeObject, old?: KubeObject): FieldError[] {
  return validateBinding(obj, old, true);
}

export function validateClusterRoleBinding(obj: KubeObject, old?: KubeObject): FieldError[] {
  return validateBinding(obj, old, false);
}

const subjectKinds = ['ServiceAccount', 'User', 'Group'];

function validateBinding(obj: KubeObject, old: KubeObject | undefined, namespaced: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const roleRef = readRecord(errs, obj.roleRef, 'roleRef');
  if (!roleRef) {
    errs.push(required('roleRef'));
  } else {
    const apiGroup = readString(errs, roleRef.apiGroup, 'roleRef.apiGroup') ?? '';
    if (apiGroup !== rbacGroup) errs.push(notSupported('roleRef.apiGroup', apiGroup, [rbacGroup]));
    const kinds = namespaced ? ['Role', 'ClusterRole'] : ['ClusterRole'];
    const kind = readString(errs, roleRef.kind, 'roleRef.kind') ?? '';
    if (!kinds.includes(kind)) errs.push(notSupported('roleRef.kind', kind, kinds));
    const name = readString(errs, roleRef.name, 'roleRef.name') ?? '';
    if (name === '') errs.push(required('roleRef.name'));
    for (const m of name ? pathSegmentNameProblems(name) : [])
      errs.push(invalidValue('roleRef.name', name, m));
  }
  if (old && !jsonEqual(old.roleRef, obj.roleRef)) {
    errs.push(invalidValue('roleRef', obj.roleRef, 'cannot change roleRef'));
  }
  for (const [subject, path] of readRecords(errs, obj.subjects, 'subjects')) {
    const kind = readString(errs, subject.kind, `${path}.kind`) ?? '';
    const name = readString(errs, subject.name, `${path}.name`) ?? '';
    const apiGroup = readString(errs, subject.apiGroup, `${path}.apiGroup`) ?? '';
    const namespace = readString(errs, subject.namespace, `${path}.namespace`) ?? '';
    if (name === '') errs.push(required(`${path}.name`));
    if (!subjectKinds.includes(kind)) {
      errs.push(notSupported(`${path}.kind`, kind, subjectKinds));
    } else if (kind === 'ServiceAccount') {
      if (apiGroup !== '') errs.push(notSupported(`${path}.apiGroup`, apiGroup, ['']));
      if (!namespaced && namespace === '') errs.push(required(`${path}.namespace`));
    } else if (apiGroup !== rbacGroup) {
      errs.push(notSupported(`${path}.apiGroup`, apiGroup, [rbacGroup]));
    }
  }
  return errs;
}

/**
 * SetDefaults_Subject and the roleRef's group: kubectl and most manifests write them, older ones
 * leave them out.
 */
export function defaultBinding(obj: KubeObject): void {
  const roleRef = obj.roleRef as Record<string, unknown> | undefined;
  if (roleRef && typeof roleRef === 'object' && (roleRef.apiGroup === undefined || roleRef.apiGroup === '')) {
    roleRef.apiGroup = rbacGroup;
  }
  if (!Array.isArray(obj.subjects)) return;
  for (const subject of obj.subjects as Record<string, unknown>[]) {
    if (!subject || typeof subject !== 'object') continue;
    if ((subject.kind === 'User' || subject.kind === 'Group') && !subject.apiGroup)
      subject.apiGroup = rbacGroup;
  }
}
