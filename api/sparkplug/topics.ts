// Sparkplug B 3.0 topic namespace: spBv1.0/<group>/<message type>/<edge node>[/<device>] and the
// primary host's spBv1.0/STATE/<host id>. An id is any UTF-8 text without the MQTT separators
// and wildcards '/', '+' and '#' (spec 4.1.1); names that do not fit are sanitised, not refused.

export const namespace = 'spBv1.0';

export type NodeMessageType = 'NBIRTH' | 'NDATA' | 'NDEATH' | 'NCMD';
export type DeviceMessageType = 'DBIRTH' | 'DDATA' | 'DDEATH' | 'DCMD';

const forbidden = /[/+#]/g;

/** An id as it may appear in a topic: '/', '+' and '#' become '_'. */
export function sanitiseId(id: string): string {
  return id.replace(forbidden, '_');
}

/** Why a configured id (group, host id) is unusable, or undefined when it is fine. */
export function idProblem(id: string): string | undefined {
  if (id === '') return 'must not be empty';
  if (/[/+#]/.test(id)) return "must not contain '/', '+' or '#'";
  if (id.length > 128) return 'must be at most 128 characters';
  return undefined;
}

export function nodeTopic(group: string, type: NodeMessageType, edgeNode: string): string {
  return `${namespace}/${group}/${type}/${edgeNode}`;
}

export function deviceTopic(
  group: string,
  type: DeviceMessageType,
  edgeNode: string,
  device: string,
): string {
  return `${namespace}/${group}/${type}/${edgeNode}/${device}`;
}

export function stateTopic(hostId: string): string {
  return `${namespace}/STATE/${hostId}`;
}

/** The 3.0 STATE payload a primary host application publishes (retained), JSON. */
export interface HostState {
  online: boolean;
  timestamp: number;
}

export function parseHostState(payload: Buffer): HostState | undefined {
  try {
    const body = JSON.parse(payload.toString('utf8')) as Partial<HostState>;
    if (typeof body.online !== 'boolean' || typeof body.timestamp !== 'number') return undefined;
    return { online: body.online, timestamp: body.timestamp };
  } catch {
    return undefined;
  }
}

export interface ParsedSparkplugTopic {
  group?: string;
  type: string;
  edgeNode?: string;
  device?: string;
  hostId?: string;
}

/** Splits a Sparkplug topic; undefined when it is not one. */
export function parseSparkplugTopic(topic: string): ParsedSparkplugTopic | undefined {
  const parts = topic.split('/');
  if (parts[0] !== namespace) return undefined;
  if (parts[1] === 'STATE' && parts.length === 3 && parts[2]) return { type: 'STATE', hostId: parts[2] };
  const [, group, type, edgeNode, device] = parts;
  if (!group || !type || !edgeNode || parts.length > 5) return undefined;
  const isDevice = type.startsWith('D');
  if (isDevice !== (parts.length === 5) || (isDevice && !device)) return undefined;
  return isDevice ? { group, type, edgeNode, device: device ?? '' } : { group, type, edgeNode };
}
