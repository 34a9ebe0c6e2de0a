// A SCADA host application for the tests: it reads every Sparkplug message, decodes it with the
// independent wire reader (sparkplug-wire.ts) and checks the specification's rules as a host
// would rely on them, collecting every violation in `violations`:
// - seq: 0 on NBIRTH, then +1 modulo 256 on every DBIRTH, NDATA, DDATA and DDEATH of that edge
//   node; none on NDEATH;
// - NBIRTH: every metric with name, alias, datatype and timestamp, a bdSeq (UInt64) and
//   `Node Control/Rebirth` (Boolean); DBIRTH likewise; aliases unique across the edge node;
// - DATA only after the BIRTH (of the node, and of the device for DDATA), by alias only, each
//   alias one the births defined, with that datatype;
// - NDEATH: its bdSeq is the current NBIRTH's to end the session (another one is stale and
//   ignored, as a host must);
// - while the primary host's STATE is offline (as told by `hostOnline`), no BIRTH or DATA.
import type { MqttClient } from 'mqtt';
import { plainValue, readPayload, type WireMetric, type WirePayload } from './sparkplug-wire.js';

interface AliasInfo {
  name: string;
  datatype: number;
  device: string;
}

export interface EdgeNodeView {
  online: boolean;
  bdSeq: number | undefined;
  seq: number;
  aliases: Map<number, AliasInfo>;
  /** Current values by name, of the node ('' ) and each device. */
  values: Map<string, Map<string, unknown>>;
  /** Devices born and not dead. */
  devices: Set<string>;
  births: number;
  deaths: number;
  staleDeaths: number;
}

export interface SeenMessage {
  topic: string;
  type: string;
  edgeNode: string;
  device?: string | undefined;
  payload: WirePayload;
}

export class SparkplugHost {
  readonly violations: string[] = [];
  readonly nodes = new Map<string, EdgeNodeView>();
  readonly messages: SeenMessage[] = [];
  /** What the host says it is; births and data while false are violations. */
  hostOnline = true;

  constructor(readonly group: string) {}

  attach(client: MqttClient): void {
    client.on('message', (topic, payload) => this.receive(topic, payload));
  }

  node(edgeNode: string): EdgeNodeView | undefined {
    return this.nodes.get(edgeNode);
  }

  /** The current value of metric `name` of the edge node, or of its `device`. */
  value(edgeNode: string, name: string, device = ''): unknown {
    return this.nodes.get(edgeNode)?.values.get(device)?.get(name);
  }

  count(type: string, edgeNode?: string): number {
    return this.messages.filter((m) => m.type === type && (edgeNode === undefined || m.edgeNode === edgeNode))
      .length;
  }

  receive(topic: string, raw: Buffer): void {
    const parts = topic.split('/');
    if (parts[0] !== 'spBv1.0' || parts[1] === 'STATE') return;
    const [, group, type = '', edgeNode = '', device] = parts;
    if (group !== this.group) return;
    let payload: WirePayload;
    try {
      payload = readPayload(raw);
    } catch (err) {
      this.violations.push(`${topic}: not a Sparkplug payload: ${(err as Error).message}`);
      return;
    }
    this.messages.push({ topic, type, edgeNode, device, payload });
    const fail = (why: string): void => {
      this.violations.push(`${topic} (seq ${payload.seq}): ${why}`);
    };
    if (type === 'NCMD' || type === 'DCMD') return;
    if (type === 'NDEATH') {
      this.death(edgeNode, payload, fail);
      return;
    }
    if (!this.hostOnline) fail('published while the primary host is offline');
    if (payload.timestamp === undefined) fail('no payload timestamp');
    if (type === 'NBIRTH') {
      this.birth(edgeNode, payload, fail);
      return;
    }
    const view = this.nodes.get(edgeNode);
    if (!view?.online) {
      fail(`${type} before the NBIRTH`);
      return;
    }
    const expected = (view.seq + 1) % 256;
    if (payload.seq !== expected) fail(`seq ${payload.seq}, expected ${expected}`);
    view.seq = payload.seq ?? view.seq;
    const dev = device ?? '';
    if (type === 'DBIRTH') {
      this.defineAliases(view, dev, payload.metrics, fail);
      view.devices.add(dev);
    } else if (type === 'DDEATH') {
      if (!view.devices.delete(dev)) fail('DDEATH of a device not born');
      view.values.delete(dev);
    } else if (type === 'NDATA' || type === 'DDATA') {
      if (type === 'DDATA' && !view.devices.has(dev)) fail('DDATA before the DBIRTH');
      else this.applyData(view, type === 'NDATA' ? '' : dev, payload.metrics, fail);
    } else fail(`unknown message type ${type}`);
  }

  private birth(edgeNode: string, payload: WirePayload, fail: (why: string) => void): void {
    if (payload.seq !== 0) fail(`NBIRTH seq ${payload.seq}, expected 0`);
    const bdSeq = payload.metrics.find((m) => m.name === 'bdSeq');
    if (!bdSeq || bdSeq.datatype !== 8) fail('NBIRTH without a UInt64 bdSeq');
    const rebirth = payload.metrics.find((m) => m.name === 'Node Control/Rebirth');
    if (!rebirth || rebirth.datatype !== 11) fail('NBIRTH without a Boolean Node Control/Rebirth');
    const before = this.nodes.get(edgeNode);
    const view: EdgeNodeView = {
      online: true,
      bdSeq: bdSeq ? Number(plainValue(bdSeq)) : undefined,
      seq: 0,
      aliases: new Map(),
      values: new Map(),
      devices: new Set(),
      births: (before?.births ?? 0) + 1,
      deaths: before?.deaths ?? 0,
      staleDeaths: before?.staleDeaths ?? 0,
    };
    this.nodes.set(edgeNode, view);
    this.defineAliases(
      view,
      '',
      payload.metrics.filter((m) => m.name !== 'bdSeq'),
      fail,
    );
  }

  private death(edgeNode: string, payload: WirePayload, fail: (why: string) => void): void {
    if (payload.seq !== undefined) fail('NDEATH with a seq');
    const bdSeq = payload.metrics.find((m) => m.name === 'bdSeq');
    if (!bdSeq) {
      fail('NDEATH without bdSeq');
      return;
    }
    const view = this.nodes.get(edgeNode);
    if (!view || !view.online || Number(plainValue(bdSeq)) !== view.bdSeq) {
      if (view) view.staleDeaths++;
      return;
    }
    view.online = false;
    view.deaths++;
    view.devices.clear();
  }

  private defineAliases(
    view: EdgeNodeView,
    device: string,
    metrics: WireMetric[],
    fail: (why: string) => void,
  ): void {
    const values = new Map<string, unknown>();
    for (const m of metrics) {
      if (
        m.name === undefined ||
        m.alias === undefined ||
        m.datatype === undefined ||
        m.timestamp === undefined
      ) {
        fail(`birth metric without name, alias, datatype or timestamp: ${JSON.stringify(m.name)}`);
        continue;
      }
      if (view.aliases.has(m.alias)) fail(`alias ${m.alias} defined twice`);
      view.aliases.set(m.alias, { name: m.name, datatype: m.datatype, device });
      values.set(m.name, plainValue(m));
    }
    view.values.set(device, values);
  }

  private applyData(
    view: EdgeNodeView,
    device: string,
    metrics: WireMetric[],
    fail: (why: string) => void,
  ): void {
    if (metrics.length === 0) fail('DATA without metrics');
    for (const m of metrics) {
      if (m.name !== undefined) fail(`DATA metric sent by name (${m.name})`);
      const info = m.alias === undefined ? undefined : view.aliases.get(m.alias);
      if (!info || info.device !== device) {
        fail(`alias ${m.alias} not defined in this ${device ? 'device' : 'node'}'s birth`);
        continue;
      }
      if (m.datatype !== undefined && m.datatype !== info.datatype) fail(`alias ${m.alias} changed datatype`);
      view.values.get(device)?.set(info.name, plainValue({ ...m, datatype: info.datatype }));
    }
  }
}
