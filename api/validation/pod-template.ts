// Pod templates inside controllers (ValidatePodTemplateSpec and the ReplicaSet / DaemonSet /
// Job variants): template labels and annotations, the pod spec, the selector-matches-template
// rule and the restart policies each controller can honour.
import { validateDisconnectAnnotation } from '../disconnect-policy.js';
import { type FieldError, forbidden, invalidValue, notSupported, required } from '../errors.js';
import { jsonEqual } from './deep-equal.js';
import { validateNoEphemeralContainers } from './ephemeral-containers.js';
import { immutable, requiredBecause } from './field-errors.js';
import { isRecord, type JsonRecord, readRecord, readStringMap } from './field-readers.js';
import { isEmptySelector, selectorMatches, validateLabelSelector } from './label-selector.js';
import { validateAnnotations, validateLabels } from './labels.js';
import { validatePodSpec } from './pod-spec.js';

export interface TemplateRules {
  /** Restart policies the controller supports; its pods are recreated, not restarted, otherwise. */
  restartPolicies: string[];
  /** Kind named in kube's "activeDeadlineSeconds in X is not Supported", when it is refused. */
  noDeadlineFor?: string;
  /** Why the template may not ask for flotilla.io/disconnect=replace-after, when it may not. */
  noReplaceAfter?: string;
}

/** kube reports template label problems under `<template>.labels`, not `.metadata.labels`. */
export function validatePodTemplateSpec(value: unknown, path: string, rules: TemplateRules): FieldError[] {
  const errs: FieldError[] = [];
  const template = readRecord(errs, value, path) ?? {};
  const metadata = readRecord(errs, template.metadata, `${path}.metadata`) ?? {};
  errs.push(...validateLabels(metadata.labels, `${path}.labels`));
  errs.push(...validateAnnotations(metadata.annotations, `${path}.annotations`));
  errs.push(
    ...validateDisconnectAnnotation(metadata.annotations, {
      path: `${path}.metadata.annotations`,
      ...(rules.noReplaceAfter ? { noReplace: rules.noReplaceAfter } : {}),
    }),
  );
  errs.push(...validatePodSpec(template.spec ?? {}, `${path}.spec`, { forPod: false }));
  const spec = isRecord(template.spec) ? template.spec : {};
  errs.push(
    ...validateNoEphemeralContainers(
      spec,
      `${path}.spec.ephemeralContainers`,
      'ephemeral containers not allowed in pod template',
    ),
  );
  const policy = typeof spec.restartPolicy === 'string' ? spec.restartPolicy : 'Always';
  if (!rules.restartPolicies.includes(policy)) {
    if (policy === 'Always') {
      const valid = rules.restartPolicies.map((p) => JSON.stringify(p)).join(', ');
      errs.push(requiredBecause(`${path}.spec.restartPolicy`, `valid values: ${valid}`));
    } else {
      errs.push(notSupported(`${path}.spec.restartPolicy`, policy, rules.restartPolicies));
    }
  }
  if (
    rules.noDeadlineFor &&
    spec.activeDeadlineSeconds !== undefined &&
    spec.activeDeadlineSeconds !== null
  ) {
    errs.push(
      forbidden(
        `${path}.spec.activeDeadlineSeconds`,
        `activeDeadlineSeconds in ${rules.noDeadlineFor} is not Supported`,
      ),
    );
  }
  return errs;
}

export function templateLabels(spec: JsonRecord): Record<string, string> {
  const template = isRecord(spec.template) ? spec.template : {};
  const metadata = isRecord(template.metadata) ? template.metadata : {};
  return readStringMap([], metadata.labels, '') ?? {};
}

/**
 * The selector a controller owns its pods by: required, non-empty (`kind` is the word kube
 * puts in "empty selector is invalid for <kind>") and matching the template's labels.
 */
export function validateSelectorForTemplate(spec: JsonRecord, path: string, kind: string): FieldError[] {
  if (spec.selector === undefined || spec.selector === null) return [required(`${path}.selector`)];
  const errs = validateLabelSelector(spec.selector, `${path}.selector`);
  if (!isRecord(spec.selector)) return errs;
  if (isEmptySelector(spec.selector)) {
    errs.push(invalidValue(`${path}.selector`, spec.selector, `empty selector is invalid for ${kind}`));
  } else if (!selectorMatches(spec.selector, templateLabels(spec))) {
    errs.push(
      invalidValue(
        `${path}.template.metadata.labels`,
        templateLabels(spec),
        '`selector` does not match template `labels`',
      ),
    );
  }
  return errs;
}

/** apps/v1 made selectors immutable: changing one would orphan the existing pods. */
export function validateSelectorUnchanged(spec: JsonRecord, oldSpec: unknown, path: string): FieldError[] {
  const before = isRecord(oldSpec) ? oldSpec.selector : undefined;
  return jsonEqual(spec.selector, before) ? [] : [immutable(`${path}.selector`, spec.selector)];
}
