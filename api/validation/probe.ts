// Probes and lifecycle hooks: exactly one handler each, with kube's handler checks
// (validateHandler / validateProbe / validateLifecycle).
import { type FieldError, forbidden, invalidValue, notSupported, required } from '../errors.js';
import { checkNonNegative, checkPositive, requiredBecause } from './field-errors.js';
import { type JsonRecord, readInteger, readRecord, readString, readStrings } from './field-readers.js';
import { isValidPortNum, validatePortNumOrName } from './network-formats.js';

const probeHandlers = ['exec', 'httpGet', 'tcpSocket', 'grpc'];
const lifecycleHandlers = ['exec', 'httpGet', 'tcpSocket', 'sleep'];

function validateAction(kind: string, action: JsonRecord, path: string): FieldError[] {
  const errs: FieldError[] = [];
  switch (kind) {
    case 'exec':
      if (readStrings(errs, action.command, `${path}.command`).length === 0)
        errs.push(required(`${path}.command`));
      break;
    case 'httpGet': {
      const scheme = readString(errs, action.scheme, `${path}.scheme`);
      if (scheme !== undefined && scheme !== 'HTTP' && scheme !== 'HTTPS') {
        errs.push(notSupported(`${path}.scheme`, scheme, ['HTTP', 'HTTPS']));
      }
      errs.push(...validateHandlerPort(action.port, `${path}.port`));
      break;
    }
    case 'tcpSocket':
      errs.push(...validateHandlerPort(action.port, `${path}.port`));
      break;
    case 'grpc': {
      const port = readInteger(errs, action.port, `${path}.port`);
      if (port === undefined) errs.push(required(`${path}.port`));
      else errs.push(...isValidPortNum(port).map((m) => invalidValue(`${path}.port`, port, m)));
      break;
    }
    default: {
      const seconds = readInteger(errs, action.seconds, `${path}.seconds`);
      checkPositive(errs, seconds ?? 0, `${path}.seconds`);
    }
  }
  return errs;
}

function validateHandlerPort(port: unknown, path: string): FieldError[] {
  return port === undefined || port === null ? [required(path)] : validatePortNumOrName(port, path);
}

function validateHandler(handler: JsonRecord, kinds: string[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  let found = 0;
  for (const kind of kinds) {
    const action = readRecord(errs, handler[kind], `${path}.${kind}`);
    if (!action) continue;
    if (found > 0) {
      errs.push(forbidden(`${path}.${kind}`, 'may not specify more than 1 handler type'));
      continue;
    }
    found++;
    errs.push(...validateAction(kind, action, `${path}.${kind}`));
  }
  if (found === 0) errs.push(requiredBecause(path, 'must specify a handler type'));
  return errs;
}

/**
 * `successThresholdMustBeOne` applies to liveness and startup probes: a single success is the
 * only meaningful threshold for them. Zero periods are replaced by defaults before validation,
 * so the period fields must be positive here.
 */
export function validateProbe(
  value: unknown,
  path: string,
  successThresholdMustBeOne: boolean,
): FieldError[] {
  const errs: FieldError[] = [];
  const probe = readRecord(errs, value, path);
  if (!probe) return errs;
  errs.push(...validateHandler(probe, probeHandlers, path));
  const int = (key: string) => readInteger(errs, probe[key], `${path}.${key}`);
  checkNonNegative(errs, int('initialDelaySeconds'), `${path}.initialDelaySeconds`);
  for (const key of ['timeoutSeconds', 'periodSeconds', 'failureThreshold']) {
    checkPositive(errs, int(key), `${path}.${key}`);
  }
  const success = int('successThreshold');
  checkPositive(errs, success, `${path}.successThreshold`);
  if (successThresholdMustBeOne && success !== undefined && success !== 1) {
    errs.push(invalidValue(`${path}.successThreshold`, success, 'must be 1'));
  }
  const grace = int('terminationGracePeriodSeconds');
  checkPositive(errs, grace, `${path}.terminationGracePeriodSeconds`);
  return errs;
}

export function validateLifecycle(value: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const lifecycle = readRecord(errs, value, path);
  if (!lifecycle) return errs;
  for (const hook of ['postStart', 'preStop']) {
    const handler = readRecord(errs, lifecycle[hook], `${path}.${hook}`);
    if (handler) errs.push(...validateHandler(handler, lifecycleHandlers, `${path}.${hook}`));
  }
  return errs;
}
