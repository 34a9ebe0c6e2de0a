// Typed views of core/v1 parts that the hub and the agent both read. Objects arrive as plain
// JSON; these name the fields, as Kubernetes defines them, so that one shape serves the
// scheduler, the controllers, the MQTT payloads and the agent.

/** Resource amounts by name: `cpu: "500m"`, `memory: 1Gi`, or plain numbers. */
export type Quantities = Record<string, string | number>;

export type TaintEffect = 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';

export interface Taint {
  key: string;
  value?: string;
  /** A TaintEffect; typed wider because a stored object may hold anything a client sent. */
  effect: string;
  /** When a NoExecute taint was added (the taint manager's clock). */
  timeAdded?: string;
}

export interface Toleration {
  key?: string;
  operator?: 'Equal' | 'Exists' | string;
  value?: string;
  effect?: string;
  tolerationSeconds?: number;
}
