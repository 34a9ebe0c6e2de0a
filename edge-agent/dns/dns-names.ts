// Domain-name helpers for the service DNS. Names are kept canonical: lower case, no trailing
// dot (the form dns-packet decodes to), because every comparison between a query and cluster
// data is case-insensitive (Kubernetes DNS specification §2.1).
import { isIP } from 'node:net';
import { parseIPv4 } from '../../api/ipv4.js';

export function canonicalName(name: string): string {
  const lower = name.toLowerCase();
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
}

/** Whether `name` is `zone` or a name below it (both canonical). */
export function isInZone(name: string, zone: string): boolean {
  return name === zone || name.endsWith(`.${zone}`);
}

/**
 * The names strictly between `name` and `zone`: they exist as empty non-terminals (answered
 * NOERROR with no records, never NXDOMAIN, RFC 8020).
 */
export function namesBetween(name: string, zone: string): string[] {
  const between: string[] = [];
  let current = name;
  while (current.length > zone.length) {
    const dot = current.indexOf('.');
    if (dot < 0) break;
    current = current.slice(dot + 1);
    if (current.length > zone.length) between.push(current);
  }
  return between;
}

/** The in-addr.arpa (or ip6.arpa) name of an address, for PTR records. */
export function reverseName(address: string): string | undefined {
  const family = isIP(address);
  if (family === 4) return `${address.split('.').reverse().join('.')}.in-addr.arpa`;
  // IPv4-mapped forms (::ffff:1.2.3.4) never name a cluster address.
  if (family !== 6 || address.includes('.')) return undefined;
  return `${expandIPv6(address).split('').reverse().join('.')}.ip6.arpa`;
}

/** 32 hex digits of an IPv6 address, no separators. */
function expandIPv6(address: string): string {
  const [head = '', tail = ''] = address.toLowerCase().split('::');
  const groups = (part: string) => (part === '' ? [] : part.split(':'));
  const left = groups(head);
  const right = address.includes('::') ? groups(tail) : [];
  const missing = 8 - left.length - right.length;
  return [...left, ...Array<string>(Math.max(missing, 0)).fill('0'), ...right]
    .map((group) => group.padStart(4, '0'))
    .join('');
}

/**
 * The system-assigned hostname of an endpoint without one (the specification leaves the form
 * open): its address with dashes, as other cluster DNS servers do (10-42-1-5).
 */
export function dashedAddress(address: string): string {
  return address.replace(/[.:]/g, '-');
}

/** `a-b-c-d` back to a.b.c.d when it is a valid IPv4 address. */
export function undashedIPv4(label: string): string | undefined {
  const address = label.replace(/-/g, '.');
  return parseIPv4(address) === undefined ? undefined : address;
}
