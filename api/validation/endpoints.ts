// core/v1 Endpoints rules (ValidateEndpoints): each subset has addresses and valid ports.

import { duplicate, type FieldError, invalidValue, notSupported, required } from '../errors.js';
import type { KubeObject } from '../types.js';
import { portProtocols } from './container.js';
import { requiredBecause } from './field-errors.js';
import { type JsonRecord, readInteger, readRecords, readString } from './field-readers.js';
import { isDNS1123Label, isDNS1123Subdomain } from './name-formats.js';
import { ipAddressMessage, isValidIP, isValidPortNum } from './network-formats.js';

export function validateEndpoints(obj: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  for (const [subset, subsetPath] of readRecords(errs, obj.subsets, 'subsets')) {
    const ready = readRecords(errs, subset.addresses, `${subsetPath}.addresses`);
    const notReady = readRecords(errs, subset.notReadyAddresses, `${subsetPath}.notReadyAddresses`);
    if (ready.length === 0 && notReady.length === 0) {
      errs.push(requiredBecause(subsetPath, 'must specify `addresses` or `notReadyAddresses`'));
    }
    for (const [address, path] of [...ready, ...notReady]) errs.push(...validateAddress(address, path));
    const ports = readRecords(errs, subset.ports, `${subsetPath}.ports`);
    const names = new Set<string>();
    for (const [port, path] of ports) errs.push(...validateEndpointPort(port, path, ports.length > 1, names));
  }
  return errs;
}

function validateAddress(address: JsonRecord, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const ip = readString(errs, address.ip, `${path}.ip`) ?? '';
  if (!isValidIP(ip)) errs.push(invalidValue(`${path}.ip`, ip, ipAddressMessage));
  const hostname = readString(errs, address.hostname, `${path}.hostname`);
  if (hostname)
    errs.push(...isDNS1123Label(hostname).map((m) => invalidValue(`${path}.hostname`, hostname, m)));
  const nodeName = readString(errs, address.nodeName, `${path}.nodeName`);
  if (nodeName)
    errs.push(...isDNS1123Subdomain(nodeName).map((m) => invalidValue(`${path}.nodeName`, nodeName, m)));
  return errs;
}

/** Shared with EndpointSlice ports, which have the same shape. */
export function validateEndpointPort(
  port: JsonRecord,
  path: string,
  needName: boolean,
  names: Set<string>,
): FieldError[] {
  const errs: FieldError[] = [];
  const name = readString(errs, port.name, `${path}.name`);
  if (needName && !name) errs.push(required(`${path}.name`));
  else if (name) {
    errs.push(...isDNS1123Label(name).map((m) => invalidValue(`${path}.name`, name, m)));
    if (names.has(name)) errs.push(duplicate(`${path}.name`, name));
    names.add(name);
  }
  const number = readInteger(errs, port.port, `${path}.port`);
  if (number !== undefined)
    errs.push(...isValidPortNum(number).map((m) => invalidValue(`${path}.port`, number, m)));
  const protocol = readString(errs, port.protocol, `${path}.protocol`);
  if (protocol !== undefined && !portProtocols.includes(protocol)) {
    errs.push(notSupported(`${path}.protocol`, protocol, portProtocols));
  }
  return errs;
}
