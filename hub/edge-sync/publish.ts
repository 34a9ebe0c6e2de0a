// The one thing edge sync needs from the broker: publish. Kept as a function so the publishers
// do not depend on the broker and tests can record what would go on the wire.

export interface PublishOptions {
  qos: 0 | 1;
  retain: boolean;
}

export type PublishFn = (topic: string, payload: Buffer, options: PublishOptions) => void;
