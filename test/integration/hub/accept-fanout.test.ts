// The broker's listeners accept several connections per pass of the event loop: connections
// that queued while the loop was blocked are taken several at a time, every one reaches the
// server, and closing the server and its copies closes the port.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as connectTls, createServer as createTlsServer } from 'node:tls';
import { silentLogger } from '../../../api/logger.js';
import { acceptorsPerListener, addAcceptors } from '../../../hub/broker/accept-fanout.js';
import {
  createCertificateAuthority,
  issueServingCertificate,
} from '../../../hub/pki/certificate-authority.js';
import { captureLogger } from '../../helpers/capture-logger.js';
import { eventually } from '../../helpers/eventually.js';

const queued = 40;

/**
 * A separate process opens `count` connections and holds them, and writes `marker` once all are
 * open (the kernel completes the handshakes into the accept queue): the test can wait for that
 * with its own loop blocked, so nothing is accepted meanwhile.
 */
function connectFromChild(port: number, count: number, marker: string) {
  const script = `const net = require('node:net'); let open = 0;
for (let i = 0; i < ${count}; i++) {
  const s = net.connect(${port}, '127.0.0.1', () => {
    if (++open === ${count}) require('node:fs').writeFileSync(${JSON.stringify(marker)}, 'open');
  });
  s.on('error', () => {});
}
setInterval(() => {}, 1000);`;
  return spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'ignore', 'inherit'] });
}

/** Blocks the event loop until `marker` exists (or 15 s). */
function blockUntilExists(marker: string): void {
  const until = Date.now() + 15_000;
  while (!existsSync(marker) && Date.now() < until) {
    // Busy: the loop must not run.
  }
  assert.ok(existsSync(marker), 'the child opened its connections');
}

describe('accept fan-out (broker listeners)', function () {
  this.timeout(20_000);
  let server: Server;
  let copies: Server[] = [];
  const accepted: Socket[] = [];

  beforeEach(async () => {
    accepted.length = 0;
    server = createServer((socket) => accepted.push(socket));
    server.listen({ port: 0, host: '127.0.0.1', backlog: 1024 });
    await once(server, 'listening');
    const lines: string[] = [];
    copies = await addAcceptors(server, captureLogger(lines));
    assert.deepEqual(lines, [], 'no failure logged');
  });

  afterEach(async () => {
    for (const socket of accepted) socket.destroy();
    await Promise.all([server, ...copies].map((s) => new Promise((resolve) => s.close(resolve))));
  });

  it('takes connections that queued while the loop was busy several per pass, and loses none', async () => {
    assert.equal(copies.length, acceptorsPerListener - 1);
    const port = (server.address() as { port: number }).port;
    const marker = join(mkdtempSync(join(tmpdir(), 'accept-fanout-')), 'open');
    const child = connectFromChild(port, queued, marker);
    try {
      blockUntilExists(marker);
      // To the check phase of this pass, then one whole pass (its poll phase accepts).
      const nextPass = () => new Promise((resolve) => setImmediate(resolve));
      await nextPass();
      const before = accepted.length;
      await nextPass();
      const inOnePass = accepted.length - before;
      assert.ok(inOnePass > 1, `one pass of the loop accepted ${inOnePass} connection(s)`);
      await eventually(
        () => accepted.length === queued || assert.fail(`${accepted.length} of ${queued} reached the server`),
      );
    } finally {
      child.kill();
    }
  });

  it('closes the port once the server and its copies are closed', async () => {
    const port = (server.address() as { port: number }).port;
    await Promise.all([server, ...copies].map((s) => new Promise((resolve) => s.close(resolve))));
    const socket = connect(port, '127.0.0.1');
    const [err] = (await once(socket, 'error').catch((e) => [e])) as [NodeJS.ErrnoException];
    assert.equal(err.code, 'ECONNREFUSED');
    // Listen again so afterEach has something to close.
    server = createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    copies = [];
  });

  it('loses no TLS handshake that arrives while the helper process holds a copy', async () => {
    const ca = await createCertificateAuthority('fan-out test CA');
    const serving = await issueServingCertificate(ca, 'localhost', { dns: [], ips: ['127.0.0.1'] });
    const tls = createTlsServer({ cert: serving.certPem, key: serving.keyPem }, (socket) =>
      socket.end('hello'),
    );
    tls.listen({ port: 0, host: '127.0.0.1' });
    await once(tls, 'listening');
    const port = (tls.address() as { port: number }).port;
    /** One handshake; resolves with whether the server's greeting arrived within 5 s. */
    const greeted = () =>
      new Promise<boolean>((resolve) => {
        const socket = connectTls({ port, host: '127.0.0.1', ca: ca.certPem });
        const timer = setTimeout(() => resolve(false), 5_000);
        socket.once('data', () => resolve(true));
        socket.once('error', () => resolve(false));
        socket.once('close', () => clearTimeout(timer));
      });
    // Connections keep coming for the whole life of the helper process and a little after.
    const attempts: Array<Promise<boolean>> = [];
    const arriving = setInterval(() => attempts.push(greeted()), 2);
    let tlsCopies: Server[] = [];
    try {
      tlsCopies = await addAcceptors(tls, silentLogger);
      await new Promise((resolve) => setTimeout(resolve, 100));
    } finally {
      clearInterval(arriving);
    }
    const results = await Promise.all(attempts);
    await Promise.all([tls, ...tlsCopies].map((s) => new Promise((resolve) => s.close(resolve))));
    assert.equal(tlsCopies.length, acceptorsPerListener - 1);
    assert.ok(results.length > 20, `${results.length} attempts`);
    assert.equal(results.filter((ok) => !ok).length, 0, `of ${results.length} handshakes`);
  });
});
