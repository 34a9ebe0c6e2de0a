// The one error registry. Every failure the hub reports is an ApiError that renders as a
// Kubernetes `Status` body (reasons and codes from k8s.io/apimachinery metav1.StatusReason).
import type { Status, StatusCause, StatusDetails } from './types.js';

export const ErrorReasons = {
  BadRequest: 400,
  Unauthorized: 401,
  Forbidden: 403,
  NotFound: 404,
  MethodNotAllowed: 405,
  NotAcceptable: 406,
  AlreadyExists: 409,
  Conflict: 409,
  Gone: 410,
  Expired: 410,
  RequestEntityTooLarge: 413,
  UnsupportedMediaType: 415,
  Invalid: 422,
  TooManyRequests: 429,
  InternalError: 500,
  ServiceUnavailable: 503,
  Timeout: 504,
} as const;

export type ErrorReason = keyof typeof ErrorReasons;

export class ApiError extends Error {
  readonly reason: ErrorReason;
  readonly code: number;
  readonly details: StatusDetails | undefined;

  constructor(reason: ErrorReason, message: string, details?: StatusDetails) {
    super(message);
    this.name = 'ApiError';
    this.reason = reason;
    this.code = ErrorReasons[reason];
    this.details = details;
  }

  toStatus(): Status {
    const status: Status = {
      apiVersion: 'v1',
      kind: 'Status',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      // Every refusal carries details, empty when there is nothing to name (kube-apiserver's
      // generic 404 sends `"details":{}` too), so clients can read it without a presence check.
      details: this.details ?? {},
      code: this.code,
    };
    return status;
  }
}

/** `group` is '' for the core group; `resource` is the plural, e.g. `pods`. */
export interface GroupResource {
  group: string;
  resource: string;
}

function qualified(gr: GroupResource): string {
  return gr.group ? `${gr.resource}.${gr.group}` : gr.resource;
}

export function notFound(gr: GroupResource, name: string): ApiError {
  return new ApiError('NotFound', `${qualified(gr)} "${name}" not found`, {
    name,
    group: gr.group,
    kind: gr.resource,
  });
}

export function alreadyExists(gr: GroupResource, name: string): ApiError {
  return new ApiError('AlreadyExists', `${qualified(gr)} "${name}" already exists`, {
    name,
    group: gr.group,
    kind: gr.resource,
  });
}

export function conflict(gr: GroupResource, name: string, why: string): ApiError {
  return new ApiError('Conflict', `Operation cannot be fulfilled on ${qualified(gr)} "${name}": ${why}`, {
    name,
    group: gr.group,
    kind: gr.resource,
  });
}

export const staleResourceVersion =
  'the object has been modified; please apply your changes to the latest version and try again';

/** A field-level problem, reported in `details.causes` of a 422. */
export interface FieldError {
  field: string;
  type:
    | 'FieldValueRequired'
    | 'FieldValueInvalid'
    | 'FieldValueTypeInvalid'
    | 'FieldValueNotSupported'
    | 'FieldValueDuplicate'
    | 'FieldValueForbidden'
    | 'FieldValueTooLong';
  message: string;
}

export function required(field: string, detail = 'Required value'): FieldError {
  return { field, type: 'FieldValueRequired', message: detail };
}

export function invalidValue(field: string, value: unknown, detail: string): FieldError {
  return { field, type: 'FieldValueInvalid', message: `Invalid value: ${JSON.stringify(value)}: ${detail}` };
}

/**
 * `field.TypeInvalid` as kube-apiserver reports a schema type mismatch: the bad value is shown
 * by its JSON type, e.g. `Invalid value: "null": spec.x in body must be of type object: "null"`.
 */
export function typeInvalid(field: string, actualType: string, expected: string): FieldError {
  return {
    field,
    type: 'FieldValueTypeInvalid',
    message: `Invalid value: "${actualType}": ${field} in body must be of type ${expected}: "${actualType}"`,
  };
}

export function notSupported(field: string, value: unknown, allowed: readonly string[]): FieldError {
  const list = allowed.map((a) => JSON.stringify(a)).join(', ');
  return {
    field,
    type: 'FieldValueNotSupported',
    message: `Unsupported value: ${JSON.stringify(value)}: supported values: ${list}`,
  };
}

export function duplicate(field: string, value: unknown): FieldError {
  return { field, type: 'FieldValueDuplicate', message: `Duplicate value: ${JSON.stringify(value)}` };
}

export function forbidden(field: string, detail: string): FieldError {
  return { field, type: 'FieldValueForbidden', message: `Forbidden: ${detail}` };
}

/** 422 in the exact shape kube-apiserver uses: `Kind "name" is invalid: field: message, ...`. */
export function invalid(kind: string, group: string, name: string, errors: FieldError[]): ApiError {
  const summary = errors.map((e) => `${e.field}: ${e.message}`).join(', ');
  const causes: StatusCause[] = errors.map((e) => ({ reason: e.type, message: e.message, field: e.field }));
  const shown = errors.length === 1 ? summary : `[${summary}]`;
  return new ApiError('Invalid', `${kind}${group ? `.${group}` : ''} "${name}" is invalid: ${shown}`, {
    name,
    group,
    kind,
    causes,
  });
}

export function badRequest(message: string): ApiError {
  return new ApiError('BadRequest', message);
}

export function unauthorized(): ApiError {
  return new ApiError('Unauthorized', 'Unauthorized');
}

export function forbiddenRequest(message: string): ApiError {
  return new ApiError('Forbidden', message);
}

export function methodNotAllowed(message: string): ApiError {
  return new ApiError('MethodNotAllowed', message);
}

export function unsupportedMediaType(contentType: string): ApiError {
  return new ApiError(
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: application/json, application/merge-patch+json, application/json-patch+json, application/strategic-merge-patch+json (got ${contentType || 'none'})`,
  );
}

export function tooLarge(limit: number): ApiError {
  return new ApiError('RequestEntityTooLarge', `Request entity too large: limit is ${limit}`);
}

/** 413 with kube's NewRequestEntityTooLargeError wording (`Request entity too large: <why>`). */
export function entityTooLarge(why: string): ApiError {
  return new ApiError('RequestEntityTooLarge', `Request entity too large: ${why}`);
}

/** A route, group, version or resource the server does not serve (kube's generic 404). */
export function notServed(): ApiError {
  return new ApiError('NotFound', 'the server could not find the requested resource', {});
}

/** 429 from the in-flight limit: kube-apiserver's maxinflight filter asks for a retry in 1 s. */
export function tooManyRequests(retryAfterSeconds = 1): ApiError {
  return new ApiError('TooManyRequests', 'Too many requests, please try again later.', {
    retryAfterSeconds,
  });
}

/** 504 from the request deadline, in kube's NewTimeoutError wording. */
export function requestTimeout(): ApiError {
  return new ApiError(
    'Timeout',
    'Timeout: request did not complete within requested timeout - context deadline exceeded',
    {},
  );
}

/** Watch or continue token older than what the store still holds: clients must relist. */
export function expired(message = 'too old resource version'): ApiError {
  return new ApiError('Expired', message);
}

export function gone(message: string): ApiError {
  return new ApiError('Gone', message);
}

export function internalError(message: string): ApiError {
  return new ApiError('InternalError', `Internal error occurred: ${message}`);
}

export function isApiError(err: unknown): err is ApiError {
  return err instanceof ApiError;
}
