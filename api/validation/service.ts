// Service rules (ValidateService / ValidateServiceUpdate). Allocating cluster IPs and node
// ports is the allocator's job; here only their shape and immutability are checked.

import { duplicate, type FieldError, forbidden, invalidValue, notSupported, required } from '../errors.js';
import type { KubeObject } from '../types.js';
import { portProtocols } from './container.js';
import {
  isRecord,
  type JsonRecord,
  readInteger,
  readRecord,
  readRecords,
  readString,
  readStrings,
} from './field-readers.js';
import { validateLabels } from './labels.js';
import { isDNS1123Label, isDNS1123Subdomain } from './name-formats.js';
import { ipAddressMessage, isValidIP, isValidPortNum, validatePortNumOrName } from './network-formats.js';

const serviceTypes = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const affinities = ['ClientIP', 'None'];
const trafficPolicies = ['Cluster', 'Local'];
const familyPolicies = ['SingleStack', 'PreferDualStack', 'RequireDualStack'];
const families = ['IPv4', 'IPv6'];
const maxAffinitySeconds = 86400;

export function validateService(obj: KubeObject, old?: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const spec = readRecord(errs, obj.spec, 'spec') ?? {};
  const str = (key: string) => readString(errs, spec[key], `spec.${key}`);
  const type = str('type') ?? 'ClusterIP';
  const clusterIP = str('clusterIP') ?? '';
  const headless = clusterIP === 'None';
  if (!serviceTypes.includes(type)) errs.push(notSupported('spec.type', type, serviceTypes));

  const ports = readRecords(errs, spec.ports, 'spec.ports');
  if (ports.length === 0 && !headless && type !== 'ExternalName') errs.push(required('spec.ports'));
  const names = new Set<string>();
  const nodePorts = new Set<string>();
  for (const [port, portPath] of ports) {
    errs.push(...validateServicePort(port, portPath, ports.length > 1, names));
    const nodePort = readInteger(errs, port.nodePort, `${portPath}.nodePort`) ?? 0;
    if (nodePort === 0) continue;
    if (type === 'ClusterIP' || type === 'ExternalName') {
      errs.push(forbidden(`${portPath}.nodePort`, `may not be used when \`type\` is '${type}'`));
      continue;
    }
    errs.push(...isValidPortNum(nodePort).map((m) => invalidValue(`${portPath}.nodePort`, nodePort, m)));
    const identity = `${nodePort}/${String(port.protocol ?? 'TCP')}`;
    if (nodePorts.has(identity)) errs.push(duplicate(`${portPath}.nodePort`, nodePort));
    nodePorts.add(identity);
  }

  if (type === 'ExternalName') {
    if (clusterIP) errs.push(forbidden('spec.clusterIP', 'may not be set for ExternalName services'));
    const externalName = str('externalName');
    if (!externalName) errs.push(required('spec.externalName'));
    else {
      // A trailing dot (an absolute DNS name) is allowed.
      const bare = externalName.endsWith('.') ? externalName.slice(0, -1) : externalName;
      errs.push(...isDNS1123Subdomain(bare).map((m) => invalidValue('spec.externalName', externalName, m)));
    }
  } else if (clusterIP && !headless && !isValidIP(clusterIP)) {
    errs.push(invalidValue('spec.clusterIP', clusterIP, ipAddressMessage));
  }
  readStrings(errs, spec.externalIPs, 'spec.externalIPs').forEach((ip, i) => {
    if (!isValidIP(ip)) errs.push(invalidValue(`spec.externalIPs[${i}]`, ip, ipAddressMessage));
  });
  errs.push(...validateLabels(spec.selector, 'spec.selector'));
  errs.push(...validateAffinity(spec, str('sessionAffinity')));
  errs.push(...validatePolicies(spec, type));
  if (old) errs.push(...validateServiceUpdate(spec, old));
  return errs;
}

function validateServicePort(
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
  const number = readInteger(errs, port.port, `${path}.port`) ?? 0;
  errs.push(...isValidPortNum(number).map((m) => invalidValue(`${path}.port`, number, m)));
  const protocol = readString(errs, port.protocol, `${path}.protocol`);
  if (protocol !== undefined && !portProtocols.includes(protocol)) {
    errs.push(notSupported(`${path}.protocol`, protocol, portProtocols));
  }
  if (port.targetPort !== undefined && port.targetPort !== null) {
    errs.push(...validatePortNumOrName(port.targetPort, `${path}.targetPort`));
  }
  return errs;
}

function validateAffinity(spec: JsonRecord, affinity: string | undefined): FieldError[] {
  const errs: FieldError[] = [];
  if (affinity !== undefined && !affinities.includes(affinity)) {
    errs.push(notSupported('spec.sessionAffinity', affinity, affinities));
  }
  const config = isRecord(spec.sessionAffinityConfig) ? spec.sessionAffinityConfig : undefined;
  if (config && affinity !== 'ClientIP') {
    errs.push(
      forbidden(
        'spec.sessionAffinityConfig',
        `must not be set when session affinity is ${affinity ?? 'None'}`,
      ),
    );
  }
  const clientIP = isRecord(config?.clientIP) ? config.clientIP : undefined;
  const path = 'spec.sessionAffinityConfig.clientIP.timeoutSeconds';
  const timeout = readInteger(errs, clientIP?.timeoutSeconds, path);
  if (timeout !== undefined && (timeout <= 0 || timeout > maxAffinitySeconds)) {
    errs.push(invalidValue(path, timeout, `must be greater than 0 and less than ${maxAffinitySeconds}`));
  }
  return errs;
}

function validatePolicies(spec: JsonRecord, type: string): FieldError[] {
  const errs: FieldError[] = [];
  const external = readString(errs, spec.externalTrafficPolicy, 'spec.externalTrafficPolicy');
  const internal = readString(errs, spec.internalTrafficPolicy, 'spec.internalTrafficPolicy');
  const hasExternalIPs = Array.isArray(spec.externalIPs) && spec.externalIPs.length > 0;
  if (external) {
    if (!trafficPolicies.includes(external))
      errs.push(notSupported('spec.externalTrafficPolicy', external, trafficPolicies));
    else if (type !== 'NodePort' && type !== 'LoadBalancer' && !hasExternalIPs) {
      errs.push(
        invalidValue(
          'spec.externalTrafficPolicy',
          external,
          'may only be set for externally-accessible services',
        ),
      );
    }
  }
  if (internal && !trafficPolicies.includes(internal)) {
    errs.push(notSupported('spec.internalTrafficPolicy', internal, trafficPolicies));
  }
  const familyPolicy = readString(errs, spec.ipFamilyPolicy, 'spec.ipFamilyPolicy');
  if (familyPolicy && !familyPolicies.includes(familyPolicy)) {
    errs.push(notSupported('spec.ipFamilyPolicy', familyPolicy, familyPolicies));
  }
  const seen = new Set<string>();
  readStrings(errs, spec.ipFamilies, 'spec.ipFamilies').forEach((family, i) => {
    if (!families.includes(family)) errs.push(notSupported(`spec.ipFamilies[${i}]`, family, families));
    else if (seen.has(family)) errs.push(duplicate(`spec.ipFamilies[${i}]`, family));
    seen.add(family);
  });
  return errs;
}

/**
 * Once allocated, the cluster IP stays for the life of the Service, except across a change
 * to or from ExternalName, which has none. An empty old value may be filled in.
 */
function validateServiceUpdate(spec: JsonRecord, old: KubeObject): FieldError[] {
  const oldSpec = isRecord(old.spec) ? old.spec : {};
  const oldIP = typeof oldSpec.clusterIP === 'string' ? oldSpec.clusterIP : '';
  const newIP = typeof spec.clusterIP === 'string' ? spec.clusterIP : '';
  const crossesExternalName = spec.type === 'ExternalName' || oldSpec.type === 'ExternalName';
  if (crossesExternalName || oldIP === '' || newIP === oldIP) return [];
  const shown = Array.isArray(spec.clusterIPs) ? spec.clusterIPs : newIP ? [newIP] : [];
  return [invalidValue('spec.clusterIPs[0]', shown, 'may not change once set')];
}
