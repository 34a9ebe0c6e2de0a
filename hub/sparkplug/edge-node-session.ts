// One edge node's Sparkplug session, without the MQTT connection: what each message holds and
// the sequence rules (spec 6.4): NBIRTH with every node metric, each named and given an alias,
// plus bdSeq (the number in this connection's NDEATH Will) and `Node Control/Rebirth`; a DBIRTH
// per device with every device metric; then NDATA/DDATA with only the metrics that changed, by
// alias alone; DDEATH when a device goes. seq is 0 on the NBIRTH and counts every later message
// of the edge node (DBIRTH, NDATA, DDATA, DDEATH) modulo 256; the NDEATH carries no seq.
// Aliases are unique across the edge node and all its devices and are handed out afresh at
// each NBIRTH (a host forgets them at NBIRTH); a device's metric set never changes under its
// aliases: a different set is a new DBIRTH.
import {
  DataType,
  type DataTypeCode,
  encodePayload,
  type Metric,
  type MetricValue,
} from '../../api/sparkplug/payload.js';
import { deviceTopic, nodeTopic } from '../../api/sparkplug/topics.js';

export interface MetricSpec {
  name: string;
  datatype: DataTypeCode;
  value: MetricValue;
}

/** What the edge node reports now: its own metrics and each device's. */
export interface EdgeNodeSnapshot {
  node: MetricSpec[];
  devices: Map<string, MetricSpec[]>;
}

export type SendFn = (topic: string, payload: Buffer) => void;

export const rebirthMetric = 'Node Control/Rebirth';
export const bdSeqMetric = 'bdSeq';

/** The NDEATH payload for `bdSeq`: the bdSeq metric alone, no seq (spec 6.4.x NDEATH). */
export function deathPayload(bdSeq: number, now: number): Buffer {
  return encodePayload({
    timestamp: now,
    metrics: [{ name: bdSeqMetric, timestamp: now, datatype: DataType.UInt64, value: bdSeq }],
  });
}

interface DeviceState {
  names: string;
  values: Map<string, MetricValue>;
}

export class EdgeNodeSession {
  private seq = 0;
  private born = false;
  private nextAlias = 0;
  /** Alias per metric key (device id + NUL + name; '' for the node's own). */
  private readonly aliases = new Map<string, number>();
  private nodeValues = new Map<string, MetricValue>();
  private readonly devices = new Map<string, DeviceState>();

  constructor(
    private readonly group: string,
    readonly edgeNode: string,
    private readonly send: SendFn,
    private readonly now: () => number = Date.now,
  ) {}

  get isBorn(): boolean {
    return this.born;
  }

  /** The alias `name` of the node (or of `device`) has in this birth, if any. */
  aliasOf(name: string, device = ''): number | undefined {
    return this.aliases.get(`${device}\0${name}`);
  }

  /** NBIRTH then a DBIRTH per device; also the answer to a rebirth request. */
  birth(bdSeq: number, snapshot: EdgeNodeSnapshot): void {
    this.seq = 0;
    this.nextAlias = 0;
    this.aliases.clear();
    this.devices.clear();
    const at = this.now();
    const metrics = [
      ...snapshot.node.map((m) => this.named(m, '', at)),
      { name: bdSeqMetric, timestamp: at, datatype: DataType.UInt64, value: bdSeq } as Metric,
    ];
    this.nodeValues = new Map(snapshot.node.map((m) => [m.name, m.value]));
    this.born = true;
    this.send(
      nodeTopic(this.group, 'NBIRTH', this.edgeNode),
      encodePayload({ timestamp: at, seq: 0, metrics }),
    );
    for (const [device, specs] of snapshot.devices) this.deviceBirth(device, specs);
  }

  /** Publishes what changed since the last message: NDATA, DBIRTH, DDATA, DDEATH. */
  update(snapshot: EdgeNodeSnapshot): void {
    if (!this.born) return;
    const at = this.now();
    const changed = this.changes(snapshot.node, this.nodeValues, '', at);
    if (changed.length > 0) this.publishNode('NDATA', changed, at);
    for (const device of [...this.devices.keys()]) {
      if (!snapshot.devices.has(device)) this.deviceDeath(device);
    }
    for (const [device, specs] of snapshot.devices) {
      const state = this.devices.get(device);
      if (!state || state.names !== namesOf(specs)) {
        this.deviceBirth(device, specs);
        continue;
      }
      const delta = this.changes(specs, state.values, device, at);
      if (delta.length > 0) this.publishDevice('DDATA', device, delta, at);
    }
  }

  /** The session ended (NDEATH sent or the connection lost): nothing more until a birth. */
  end(): void {
    this.born = false;
  }

  private deviceBirth(device: string, specs: MetricSpec[]): void {
    const at = this.now();
    const metrics = specs.map((m) => this.named(m, device, at));
    this.devices.set(device, { names: namesOf(specs), values: new Map(specs.map((m) => [m.name, m.value])) });
    this.publishDevice('DBIRTH', device, metrics, at);
  }

  private deviceDeath(device: string): void {
    this.devices.delete(device);
    this.publishDevice('DDEATH', device, [], this.now());
  }

  /** A metric as a BIRTH carries it: name, a new alias, datatype, value. */
  private named(m: MetricSpec, device: string, at: number): Metric {
    const key = `${device}\0${m.name}`;
    let alias = this.aliases.get(key);
    if (alias === undefined) {
      alias = this.nextAlias++;
      this.aliases.set(key, alias);
    }
    return { name: m.name, alias, timestamp: at, datatype: m.datatype, value: m.value };
  }

  /** The metrics whose value differs from `last` (updated in place), by alias only. */
  private changes(specs: MetricSpec[], last: Map<string, MetricValue>, device: string, at: number): Metric[] {
    const out: Metric[] = [];
    for (const m of specs) {
      if (last.get(m.name) === m.value) continue;
      last.set(m.name, m.value);
      const alias = this.aliases.get(`${device}\0${m.name}`);
      if (alias === undefined) continue; // not in the birth: never sent by name outside one
      out.push({ alias, timestamp: at, datatype: m.datatype, value: m.value });
    }
    return out;
  }

  private nextSeq(): number {
    this.seq = (this.seq + 1) % 256;
    return this.seq;
  }

  private publishNode(type: 'NDATA', metrics: Metric[], at: number): void {
    const payload = encodePayload({ timestamp: at, seq: this.nextSeq(), metrics });
    this.send(nodeTopic(this.group, type, this.edgeNode), payload);
  }

  private publishDevice(
    type: 'DBIRTH' | 'DDATA' | 'DDEATH',
    device: string,
    metrics: Metric[],
    at: number,
  ): void {
    const payload = encodePayload({ timestamp: at, seq: this.nextSeq(), metrics });
    this.send(deviceTopic(this.group, type, this.edgeNode, device), payload);
  }
}

function namesOf(specs: MetricSpec[]): string {
  return specs.map((m) => `${m.name}:${m.datatype}`).join('\n');
}
