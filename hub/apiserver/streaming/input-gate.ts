// Input from a client (stdin of exec and attach, the bytes of forwarded connections) goes to
// the gateway through the hub's broker; a client faster than the gateway's uplink (`kubectl cp`
// of a large file) would otherwise pile its input up in the hub's memory. Each call says when
// too much of its input is unacknowledged (ExecCall.send → false); the gate then stops reading
// from the client's connection until every held-back call has drained.
import type { ExecCall } from '../node-requests/node-requests.js';

export interface PausableSource {
  pause(): void;
  resume(): void;
}

export class InputGate {
  private readonly blocked = new Set<ExecCall>();

  constructor(private readonly source: PausableSource) {}

  send(call: ExecCall, input: Parameters<ExecCall['send']>[0]): void {
    if (call.send(input) || this.blocked.has(call)) return;
    this.blocked.add(call);
    if (this.blocked.size === 1) this.source.pause();
    call.onDrain = () => {
      if (!this.blocked.delete(call)) return;
      if (this.blocked.size === 0) this.source.resume();
    };
  }
}
