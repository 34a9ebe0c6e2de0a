// DNS messages the server sends (pure): answers from the record table, error responses, and
// the truncated form of a response too large for the client's UDP limit (TC set, sections
// emptied, RFC 1035 §4.2.1 / RFC 2181 §9), after which the client asks again over TCP.
import {
  type Answer,
  AUTHORITATIVE_ANSWER,
  type DecodedPacket,
  decode,
  encode,
  type OptAnswer,
  type Packet,
  RECURSION_AVAILABLE,
  RECURSION_DESIRED,
  TRUNCATED_RESPONSE,
} from 'dns-packet';
import type { DnsAnswer, Rcode } from './dns-lookup.js';

const rcodes: Record<Rcode, number> = {
  NOERROR: 0,
  FORMERR: 1,
  SERVFAIL: 2,
  NXDOMAIN: 3,
  NOTIMP: 4,
  REFUSED: 5,
};

/** Without EDNS a UDP message is at most 512 bytes (RFC 1035 §4.2.1). */
export const classicUdpLimit = 512;
/** What we advertise and accept at most with EDNS: fits an Ethernet MTU unfragmented (DNS flag day 2020). */
export const ednsUdpLimit = 1232;

export function rcodeOf(message: Buffer): number {
  return message.length >= 4 ? message.readUInt16BE(2) & 0xf : -1;
}

export function isTruncated(message: Buffer): boolean {
  return message.length >= 4 && (message.readUInt16BE(2) & TRUNCATED_RESPONSE) !== 0;
}

function optOf(packet: Packet): OptAnswer | undefined {
  return packet.additionals?.find((a): a is OptAnswer => a.type === 'OPT');
}

/** The largest UDP response this query's sender accepts. */
export function udpLimitOf(query: Packet): number {
  const opt = optOf(query);
  if (!opt) return classicUdpLimit;
  return Math.min(Math.max(opt.udpPayloadSize, classicUdpLimit), ednsUdpLimit);
}

/** A request with EDNS gets an OPT record back (RFC 6891 §7). */
function ourOpt(query: Packet): Answer[] {
  return optOf(query)
    ? [
        {
          name: '.',
          type: 'OPT',
          udpPayloadSize: ednsUdpLimit,
          extendedRcode: 0,
          ednsVersion: 0,
          flags: 0,
          flag_do: false,
          options: [],
        },
      ]
    : [];
}

function responseFlags(query: DecodedPacket, rcode: Rcode, authoritative: boolean): number {
  return (
    ((query.flags ?? 0) & RECURSION_DESIRED) |
    RECURSION_AVAILABLE |
    (authoritative ? AUTHORITATIVE_ANSWER : 0) |
    rcodes[rcode]
  );
}

export function answerResponse(query: DecodedPacket, answer: DnsAnswer): Packet {
  return {
    type: 'response',
    id: query.id ?? 0,
    flags: responseFlags(query, answer.rcode, answer.authoritative),
    questions: query.questions ?? [],
    answers: answer.answers,
    authorities: answer.authorities,
    additionals: [...answer.additionals, ...ourOpt(query)],
  };
}

export function errorResponse(query: DecodedPacket, rcode: Rcode): Packet {
  return {
    type: 'response',
    id: query.id ?? 0,
    flags: responseFlags(query, rcode, false),
    questions: query.questions ?? [],
    answers: [],
    authorities: [],
    additionals: ourOpt(query),
  };
}

/** FORMERR for a message we could not even decode: only its header's id is echoed. */
export function formatErrorFor(raw: Buffer): Buffer | undefined {
  if (raw.length < 12) return undefined;
  const header = Buffer.alloc(12);
  raw.copy(header, 0, 0, 2);
  header.writeUInt16BE(
    0x8000 | (raw.readUInt16BE(2) & RECURSION_DESIRED) | RECURSION_AVAILABLE | rcodes.FORMERR,
    2,
  );
  return header;
}

/** Encodes a packet; over UDP, one that does not fit `limit` goes out truncated. */
export function encodeResponse(packet: Packet, limit?: number): Buffer {
  const message = encode(packet);
  if (limit === undefined || message.length <= limit) return message;
  return encode({
    ...packet,
    flags: (packet.flags ?? 0) | TRUNCATED_RESPONSE,
    answers: [],
    authorities: [],
    additionals: (packet.additionals ?? []).filter((a) => a.type === 'OPT'),
  });
}

/** A relayed (upstream) response, cut to the client's UDP limit when it is larger. */
export function fitRelayed(message: Buffer, limit?: number): Buffer {
  if (limit === undefined || message.length <= limit) return message;
  try {
    return encodeResponse(decode(message), limit);
  } catch {
    // Not decodable here: a bare header with TC still makes the client retry over TCP.
    const header = Buffer.from(message.subarray(0, 12));
    header.writeUInt16BE(header.readUInt16BE(2) | TRUNCATED_RESPONSE, 2);
    header.fill(0, 4, 12);
    return header;
  }
}
