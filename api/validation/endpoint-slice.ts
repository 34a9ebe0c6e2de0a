// discovery.k8s.io/v1 EndpointSlice rules (ValidateEndpointSlice / ValidateEndpointSliceUpdate).

import { isIP } from 'node:net';
import { type FieldError, invalidValue, notSupported, required } from '../errors.js';
import type { KubeObject } from '../types.js';
import { validateEndpointPort } from './endpoints.js';
import { requiredBecause } from './field-errors.js';
import { readRecords, readString, readStrings } from './field-readers.js';
import { isDNS1123Label, isDNS1123Subdomain } from './name-formats.js';

const addressTypes = ['FQDN', 'IPv4', 'IPv6'];

function addressError(type: string, address: string): string | undefined {
  if (type === 'IPv4') return isIP(address) === 4 ? undefined : 'must be a valid IPv4 address';
  if (type === 'IPv6') return isIP(address) === 6 ? undefined : 'must be a valid IPv6 address';
  if (!address.includes('.')) return 'should be a domain with at least two segments separated by dots';
  return isDNS1123Subdomain(address.endsWith('.') ? address.slice(0, -1) : address)[0];
}

export function validateEndpointSlice(obj: KubeObject, old?: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const type = readString(errs, obj.addressType, 'addressType');
  if (!type) errs.push(required('addressType'));
  else if (!addressTypes.includes(type)) errs.push(notSupported('addressType', type, addressTypes));
  for (const [endpoint, path] of readRecords(errs, obj.endpoints, 'endpoints')) {
    const addresses = readStrings(errs, endpoint.addresses, `${path}.addresses`);
    if (addresses.length === 0)
      errs.push(requiredBecause(`${path}.addresses`, 'must contain at least 1 address'));
    addresses.forEach((address, i) => {
      const problem = type && addressTypes.includes(type) ? addressError(type, address) : undefined;
      if (problem) errs.push(invalidValue(`${path}.addresses[${i}]`, address, problem));
    });
    const nodeName = readString(errs, endpoint.nodeName, `${path}.nodeName`);
    if (nodeName)
      errs.push(...isDNS1123Subdomain(nodeName).map((m) => invalidValue(`${path}.nodeName`, nodeName, m)));
    const hostname = readString(errs, endpoint.hostname, `${path}.hostname`);
    if (hostname)
      errs.push(...isDNS1123Label(hostname).map((m) => invalidValue(`${path}.hostname`, hostname, m)));
  }
  const names = new Set<string>();
  for (const [port, path] of readRecords(errs, obj.ports, 'ports')) {
    errs.push(...validateEndpointPort(port, path, false, names));
  }
  if (old && old.addressType !== obj.addressType) {
    errs.push(invalidValue('addressType', obj.addressType ?? '', 'field is immutable'));
  }
  return errs;
}
