// The string `format`s checked on custom resources: a subset of the ones kube-openapi knows,
// chosen because CRDs use them: date-time (and its alias datetime), date, byte, uuid, ipv4,
// ipv6, hostname. Any other format (email, uri, cidr, mac, duration, password, ...) is accepted
// unchecked, as kube-openapi does with formats it does not know. The integer formats int32 and
// int64 are ranges, checked in schema-value-checks.ts.
import { isIPv4, isIPv6 } from 'node:net';

const dateShape = /^(\d{4})-(\d{2})-(\d{2})$/;
// RFC 3339 date-time; like strfmt, a missing offset (local time) and a space for "T" pass too.
const dateTimeShape =
  /^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:[Zz]|[+-]\d{2}:?\d{2})?$/;
const base64Shape = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const uuidShape = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const hostnameLabel = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/;

function isDate(value: string): boolean {
  const m = dateShape.exec(value);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= daysInMonth(year, month);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function isDateTime(value: string): boolean {
  const m = dateTimeShape.exec(value);
  if (!m || !isDate(m[1] ?? '')) return false;
  // A leap second (60) is valid RFC 3339.
  return Number(m[2]) < 24 && Number(m[3]) < 60 && Number(m[4] ?? 0) <= 60;
}

/** RFC 1123 host names: dot-separated labels of letters, digits and inner hyphens. */
function isHostname(value: string): boolean {
  if (value.length === 0 || value.length > 253) return false;
  return value.split('.').every((label) => label.length <= 63 && hostnameLabel.test(label));
}

const formats: Record<string, (value: string) => boolean> = {
  'date-time': isDateTime,
  datetime: isDateTime,
  date: isDate,
  byte: (value) => base64Shape.test(value),
  uuid: (value) => uuidShape.test(value),
  ipv4: (value) => isIPv4(value),
  // Go's parser knows no zone suffix (fe80::1%eth0), so neither does this.
  ipv6: (value) => isIPv6(value) && !value.includes('%'),
  hostname: isHostname,
};

/** False only when `format` is one of the checked formats and `value` is not of it. */
export function matchesFormat(format: string, value: string): boolean {
  const check = Object.hasOwn(formats, format) ? formats[format] : undefined;
  return check ? check(value) : true;
}
