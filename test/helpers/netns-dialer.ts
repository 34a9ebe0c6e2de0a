// Reaching a runtime's exec streaming server from the host in tests: containerd in a gateway
// netns listens on that netns' 127.0.0.1, which a process on the host cannot dial. For each port
// a tiny relay runs inside the netns (nsenter + node) and listens on a unix socket, which is
// visible from every netns; CriRuntime's `dialStream` connects there. The relay exits with us
// (it stops when its stdin, our pipe, closes).
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StreamDialer } from '../../edge-agent/runtime/cri-stream-dial.js';

const relayScript = `
const net = require('node:net');
const [port, path] = process.argv.slice(-2);
net.createServer((client) => {
  const upstream = net.connect(Number(port), '127.0.0.1');
  client.pipe(upstream).pipe(client);
  client.on('error', () => upstream.destroy());
  upstream.on('error', () => client.destroy());
}).listen(path, () => process.stdout.write('ready\\n'));
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
`;

export interface NetnsDialer {
  dial: StreamDialer;
  close(): void;
}

export function netnsDialer(netnsPath: string): NetnsDialer {
  const dir = mkdtempSync(join(tmpdir(), 'flotilla-relay-'));
  const relays = new Map<string, Promise<string>>();
  const children: ChildProcess[] = [];
  const relayFor = (port: string): Promise<string> => {
    let ready = relays.get(port);
    if (!ready) {
      const path = join(dir, `${port}.sock`);
      const child = spawn(
        'nsenter',
        [`--net=${netnsPath}`, process.execPath, '-e', relayScript, '--', port, path],
        {
          stdio: ['pipe', 'pipe', 'inherit'],
        },
      );
      children.push(child);
      ready = new Promise((resolve, reject) => {
        child.stdout!.once('data', () => resolve(path));
        child.once('exit', (code) => reject(new Error(`relay into ${netnsPath} exited with ${code}`)));
      });
      relays.set(port, ready);
    }
    return ready;
  };
  return {
    dial: (url, done) => {
      relayFor(url.port).then(
        (path) => {
          const socket: Socket = connect(path);
          done(null, socket);
        },
        (err: Error) => done(err, undefined as never),
      );
    },
    close: () => {
      for (const child of children) child.kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
