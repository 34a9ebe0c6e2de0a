// Ingress rules (kube's ValidateIngressSpec, networking.k8s.io/v1): every rule names a valid
// host, every path an absolute path, a path type and exactly one backend.
import { type FieldError, invalidValue, notSupported, required } from '../errors.js';
import type { KubeObject } from '../types.js';
import { requiredBecause } from './field-errors.js';
import {
  isRecord,
  type JsonRecord,
  readInteger,
  readRecord,
  readRecords,
  readString,
  readStrings,
} from './field-readers.js';
import { isDNS1035Label, isDNS1123Subdomain } from './name-formats.js';
import { isValidIP, isValidPortName, isValidPortNum } from './network-formats.js';

const pathTypes = ['Exact', 'ImplementationSpecific', 'Prefix'];

export function validateIngress(obj: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const spec = readRecord(errs, obj.spec, 'spec') ?? {};
  const rules = readRecords(errs, spec.rules, 'spec.rules');
  const hasDefault = spec.defaultBackend !== undefined && spec.defaultBackend !== null;
  if (rules.length === 0 && !hasDefault) {
    errs.push(
      invalidValue('spec', spec.rules ?? null, 'either `defaultBackend` or `rules` must be specified'),
    );
  }
  if (hasDefault) errs.push(...validateBackend(spec.defaultBackend, 'spec.defaultBackend'));
  for (const [rule, path] of rules) errs.push(...validateRule(rule, path));
  for (const [tls, path] of readRecords(errs, spec.tls, 'spec.tls')) {
    readStrings(errs, tls.hosts, `${path}.hosts`).forEach((host, i) => {
      errs.push(...validateHost(host, `${path}.hosts[${i}]`));
    });
    const secret = readString(errs, tls.secretName, `${path}.secretName`);
    if (secret)
      errs.push(...isDNS1123Subdomain(secret).map((m) => invalidValue(`${path}.secretName`, secret, m)));
  }
  const className = readString(errs, spec.ingressClassName, 'spec.ingressClassName');
  if (className) {
    errs.push(
      ...isDNS1123Subdomain(className).map((m) => invalidValue('spec.ingressClassName', className, m)),
    );
  }
  return errs;
}

/** A DNS name, optionally a wildcard `*.example.com`, never an IP address. */
function validateHost(host: string, path: string): FieldError[] {
  if (isValidIP(host)) return [invalidValue(path, host, 'must be a DNS name, not an IP address')];
  const name = host.startsWith('*.') ? host.slice(2) : host;
  return isDNS1123Subdomain(name).map((m) => invalidValue(path, host, m));
}

function validateRule(rule: JsonRecord, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const host = readString(errs, rule.host, `${path}.host`);
  if (host) errs.push(...validateHost(host, `${path}.host`));
  const http = readRecord(errs, rule.http, `${path}.http`);
  if (!http) return errs;
  const paths = readRecords(errs, http.paths, `${path}.http.paths`);
  if (paths.length === 0) errs.push(required(`${path}.http.paths`));
  for (const [entry, entryPath] of paths) {
    const type = readString(errs, entry.pathType, `${entryPath}.pathType`);
    if (!type) errs.push(requiredBecause(`${entryPath}.pathType`, 'pathType must be specified'));
    else if (!pathTypes.includes(type)) errs.push(notSupported(`${entryPath}.pathType`, type, pathTypes));
    const text = readString(errs, entry.path, `${entryPath}.path`);
    if (text !== undefined && !text.startsWith('/')) {
      errs.push(invalidValue(`${entryPath}.path`, text, 'must be an absolute path'));
    } else if (text === undefined && (type === 'Exact' || type === 'Prefix')) {
      errs.push(invalidValue(`${entryPath}.path`, '', 'must be an absolute path'));
    }
    errs.push(...validateBackend(entry.backend, `${entryPath}.backend`));
  }
  return errs;
}

function validateBackend(value: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const backend = readRecord(errs, value, path);
  if (!backend) return errs.length > 0 ? errs : [required(path)];
  const hasService = isRecord(backend.service);
  const hasResource = isRecord(backend.resource);
  if (hasService && hasResource)
    return [invalidValue(path, '', 'cannot set both resource and service backends')];
  if (hasResource) {
    const resource = backend.resource as JsonRecord;
    if (!readString(errs, resource.kind, `${path}.resource.kind`))
      errs.push(required(`${path}.resource.kind`));
    if (!readString(errs, resource.name, `${path}.resource.name`))
      errs.push(required(`${path}.resource.name`));
    return errs;
  }
  if (!hasService) return [invalidValue(path, '', 'resource or service backend is required')];
  const service = backend.service as JsonRecord;
  const name = readString(errs, service.name, `${path}.service.name`);
  if (!name) errs.push(required(`${path}.service.name`));
  else errs.push(...isDNS1035Label(name).map((m) => invalidValue(`${path}.service.name`, name, m)));
  const port = readRecord(errs, service.port, `${path}.service.port`) ?? {};
  const portName = readString(errs, port.name, `${path}.service.port.name`);
  const portNumber = readInteger(errs, port.number, `${path}.service.port.number`);
  const portPath = `${path}.service.port`;
  if (portName && portNumber)
    errs.push(invalidValue(portPath, port, 'cannot set both port name & port number'));
  else if (portName)
    errs.push(...isValidPortName(portName).map((m) => invalidValue(`${portPath}.name`, portName, m)));
  else if (portNumber !== undefined && portNumber !== 0) {
    errs.push(...isValidPortNum(portNumber).map((m) => invalidValue(`${portPath}.number`, portNumber, m)));
  } else errs.push(requiredBecause(portPath, 'port name or number is required'));
  return errs;
}
