// Port, IP and percentage formats from k8s.io/apimachinery/pkg/util/validation, plus the
// int-or-name port check (ValidatePortNumOrName) shared by probes, Services and Endpoints.
import { isIP } from 'node:net';
import { type FieldError, invalidValue } from '../errors.js';
import { regexError } from './name-formats.js';

export function inclusiveRangeError(lo: number, hi: number): string {
  return `must be between ${lo} and ${hi}, inclusive`;
}

export function isValidPortNum(port: number): string[] {
  return Number.isInteger(port) && port >= 1 && port <= 65535 ? [] : [inclusiveRangeError(1, 65535)];
}

/** IANA_SVC_NAME (RFC 6335): what a named port may be called. */
export function isValidPortName(port: string): string[] {
  const errs: string[] = [];
  if (port.length > 15) errs.push('must be no more than 15 characters');
  if (!/^[-a-z0-9]+$/.test(port))
    errs.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (!/[a-z]/.test(port)) errs.push('must contain at least one letter (a-z)');
  if (port.includes('--')) errs.push('must not contain consecutive hyphens');
  if (port.startsWith('-') || port.endsWith('-')) errs.push('must not begin or end with a hyphen');
  return errs;
}

export const ipAddressMessage = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)';

export function isValidIP(value: string): boolean {
  return isIP(value) !== 0;
}

export function isValidCIDR(value: string): boolean {
  const [ip, bits, ...rest] = value.split('/');
  if (ip === undefined || bits === undefined || rest.length > 0 || !/^[0-9]+$/.test(bits)) return false;
  const family = isIP(ip);
  return family !== 0 && Number(bits) <= (family === 4 ? 32 : 128);
}

export function isValidPercent(value: string): string[] {
  return /^[0-9]+%$/.test(value)
    ? []
    : [
        regexError(
          "a valid percent string must be a numeric string followed by an ending '%'",
          '[0-9]+%',
          '1%',
          '93%',
        ),
      ];
}

/** An IntOrString port: a number is a port number, a string is a port name. */
export function validatePortNumOrName(port: unknown, path: string): FieldError[] {
  if (typeof port === 'number') return isValidPortNum(port).map((m) => invalidValue(path, port, m));
  if (typeof port === 'string') return isValidPortName(port).map((m) => invalidValue(path, port, m));
  return [invalidValue(path, port ?? null, 'must be an integer or a port name')];
}
