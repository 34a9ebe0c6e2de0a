// Output of a command (exec or attach) that arrives before the client's streams are ready: the
// hub starts the command on the gateway first, so that "not running" or "no such container"
// still reach kubectl as HTTP errors, and upgrades the connection only then. Held in order,
// handed to the transport once it can write, then written through.
export type OutputStream = 'stdout' | 'stderr';
export type OutputSink = (stream: OutputStream, data: Buffer) => void;

export class OutputBuffer {
  private held: Array<[OutputStream, Buffer]> | undefined = [];
  private sink: OutputSink | undefined;

  output(stream: OutputStream, data: Buffer): void {
    if (this.held) this.held.push([stream, data]);
    else this.sink?.(stream, data);
  }

  attach(sink: OutputSink): void {
    this.sink = sink;
    for (const [stream, data] of this.held ?? []) sink(stream, data);
    this.held = undefined;
  }
}
