// One question against the record table (pure): an authoritative answer for names inside the
// cluster domain (records, NODATA or NXDOMAIN, the latter two with the zone's SOA in the
// authority section so resolvers can cache the negative answer, RFC 2308), a PTR for a
// service or endpoint address, and "forward" for everything else.
import type { Answer, RecordType, SoaAnswer } from 'dns-packet';
import { canonicalName, isInZone, undashedIPv4 } from './dns-names.js';
import type { DnsRecord, DnsRecords } from './dns-records.js';

/** Short, as cluster DNS servers use: endpoints change often, and clients rarely honour less. */
export const recordTtl = 5;

export interface DnsQuestion {
  name: string;
  type: RecordType | string;
  class?: string;
}

export type Rcode = 'NOERROR' | 'FORMERR' | 'SERVFAIL' | 'NXDOMAIN' | 'NOTIMP' | 'REFUSED';

export interface DnsAnswer {
  kind: 'answer';
  rcode: Rcode;
  authoritative: boolean;
  answers: Answer[];
  authorities: Answer[];
  additionals: Answer[];
  /** A CNAME points out of the zone: the server resolves this upstream and appends it. */
  chase?: { name: string; type: RecordType };
}

export type DnsLookup = DnsAnswer | { kind: 'forward' };

/** How far CNAMEs inside the zone are followed (an ExternalName naming another Service). */
const maxCnameHops = 8;

export function soaRecord(records: DnsRecords): SoaAnswer {
  const { zone } = records;
  return {
    name: zone,
    type: 'SOA',
    ttl: recordTtl,
    data: {
      mname: `ns.dns.${zone}`,
      rname: `hostmaster.${zone}`,
      serial: records.serial >>> 0,
      refresh: 7200,
      retry: 1800,
      expire: 86400,
      // The negative-caching TTL (RFC 2308 §5): as short as the records themselves.
      minimum: recordTtl,
    },
  };
}

function toAnswer(owner: string, record: DnsRecord): Answer {
  return { name: owner, type: record.type, ttl: recordTtl, class: 'IN', data: record.data } as Answer;
}

function authoritative(records: DnsRecords, rcode: Rcode, answers: Answer[] = []): DnsAnswer {
  const authorities = answers.length === 0 ? [soaRecord(records)] : [];
  return { kind: 'answer', rcode, authoritative: true, answers, authorities, additionals: [] };
}

/** a-b-c-d.<ns>.pod.<zone> → A a.b.c.d (§2.6, answered for any such name, as kube-dns did). */
function podRecord(name: string, zone: string): DnsRecord | undefined {
  const suffix = `.pod.${zone}`;
  if (!name.endsWith(suffix)) return undefined;
  const labels = name.slice(0, -suffix.length).split('.');
  if (labels.length !== 2 || labels[1] === '') return undefined;
  const address = undashedIPv4(labels[0]!);
  return address ? { type: 'A', data: address } : undefined;
}

function recordsAt(records: DnsRecords, name: string): readonly DnsRecord[] | undefined {
  const pod = podRecord(name, records.zone);
  return pod ? [pod] : records.names.get(name);
}

/** The target addresses of SRV answers, for the additional section (§2.3.2, §2.4.2). */
function srvAdditionals(records: DnsRecords, answers: Answer[]): Answer[] {
  const targets = new Set(answers.flatMap((a) => (a.type === 'SRV' ? [a.data.target] : [])));
  return [...targets].flatMap((target) =>
    (records.names.get(target) ?? [])
      .filter((r) => r.type === 'A' || r.type === 'AAAA')
      .map((r) => toAnswer(target, r)),
  );
}

function lookupInZone(records: DnsRecords, asked: string, type: string, hops: number): DnsAnswer {
  const name = canonicalName(asked);
  const found = recordsAt(records, name);
  if (!found) {
    if (name === records.zone) {
      return type === 'SOA' || type === 'ANY'
        ? authoritative(records, 'NOERROR', [{ ...soaRecord(records), name: asked }])
        : authoritative(records, 'NOERROR');
    }
    return authoritative(records, records.parents.has(name) ? 'NOERROR' : 'NXDOMAIN');
  }
  const cname = found.find((r) => r.type === 'CNAME');
  if (cname && type !== 'CNAME' && type !== 'ANY') {
    const answers = [toAnswer(asked, cname)];
    const target = cname.data as string;
    if (!isInZone(target, records.zone)) {
      return {
        ...authoritative(records, 'NOERROR', answers),
        chase: { name: target, type: type as RecordType },
      };
    }
    if (hops >= maxCnameHops) return authoritative(records, 'SERVFAIL', answers);
    const next = lookupInZone(records, target, type, hops + 1);
    return {
      ...next,
      answers: [...answers, ...next.answers],
      authorities: next.answers.length ? [] : next.authorities,
    };
  }
  const answers = found.filter((r) => type === 'ANY' || r.type === type).map((r) => toAnswer(asked, r));
  // A name with records, but none of this type (AAAA of an IPv4 Service): NOERROR, no data.
  if (answers.length === 0) return authoritative(records, 'NOERROR');
  return { ...authoritative(records, 'NOERROR', answers), additionals: srvAdditionals(records, answers) };
}

function lookupPointer(records: DnsRecords, asked: string): DnsAnswer | undefined {
  const targets = records.reverse.get(canonicalName(asked));
  if (!targets) return undefined;
  const answers = targets.map(
    (target): Answer => ({ name: asked, type: 'PTR', ttl: recordTtl, class: 'IN', data: target }),
  );
  return { kind: 'answer', rcode: 'NOERROR', authoritative: true, answers, authorities: [], additionals: [] };
}

export function lookupDns(records: DnsRecords, question: DnsQuestion): DnsLookup {
  const name = canonicalName(question.name);
  const type = question.type.toUpperCase();
  const inZone = isInZone(name, records.zone);
  if (question.class !== undefined && question.class !== 'IN' && question.class !== 'ANY') {
    return inZone ? { ...authoritative(records, 'REFUSED'), authorities: [] } : { kind: 'forward' };
  }
  if (type === 'PTR' || type === 'ANY') {
    const pointer = lookupPointer(records, question.name);
    if (pointer) return pointer;
  }
  return inZone ? lookupInZone(records, question.name, type, 0) : { kind: 'forward' };
}
