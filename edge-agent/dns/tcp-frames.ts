// DNS over TCP prefixes each message with its length as two bytes (RFC 1035 §4.2.2, RFC 7766);
// messages may arrive split across reads or several in one.

export function frame(message: Buffer): Buffer {
  const prefix = Buffer.alloc(2);
  prefix.writeUInt16BE(message.length);
  return Buffer.concat([prefix, message]);
}

export class TcpFrames {
  private pending: Buffer = Buffer.alloc(0);

  /** The complete messages that `chunk` finishes, in order. */
  push(chunk: Buffer): Buffer[] {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const messages: Buffer[] = [];
    while (this.pending.length >= 2) {
      const length = this.pending.readUInt16BE(0);
      if (this.pending.length < 2 + length) break;
      messages.push(Buffer.from(this.pending.subarray(2, 2 + length)));
      this.pending = this.pending.subarray(2 + length);
    }
    return messages;
  }
}
