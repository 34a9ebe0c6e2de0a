// The baseline: bare node:http and node:https servers answering the hub's URLs with fixed
// bodies captured from the hub, so the benchmark shows what the transport alone costs.
// Run as a child process: node --import tsx bench/bare-server.ts <dir with cert.pem, key.pem,
// pod.json, list-<namespace>.json>. Prints one line with both URLs when listening.
import { readdirSync, readFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

const dir = process.argv[2];
if (!dir) throw new Error('usage: bare-server.ts <fixtures dir>');

const podText = readFileSync(join(dir, 'pod.json'), 'utf8');
const pod = JSON.parse(podText) as { metadata: Record<string, unknown> };
const lists = new Map<string, Buffer>();
for (const file of readdirSync(dir)) {
  const match = file.match(/^list-(.+)\.json$/);
  if (match) lists.set(match[1]!, readFileSync(join(dir, file)));
}
// Namespaces without a captured list answer empty, as the hub does; the fan-out scenario lists
// its namespace for a resourceVersion to watch from.
const emptyList = '{"apiVersion":"v1","kind":"PodList","metadata":{"resourceVersion":"1"},"items":[]}';
const watchers = new Set<ServerResponse>();

const podPath = /^\/api\/v1\/namespaces\/([^/]+)\/pods(?:\/([^/]+))?$/;

function handle(req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://bare');
  const match = url.pathname.match(podPath);
  const [, namespace = '', name] = match ?? [];
  if (!match) reply(res, 404, '{}');
  else if (req.method === 'GET' && name) reply(res, 200, podText);
  else if (req.method === 'GET' && url.searchParams.get('watch') === 'true') watch(res);
  else if (req.method === 'GET') reply(res, 200, lists.get(namespace) ?? emptyList);
  else if (req.method === 'POST') create(req, res);
  else reply(res, 405, '{}');
}

function reply(res: ServerResponse, status: number, body: string | Buffer): void {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

function watch(res: ServerResponse): void {
  res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
  watchers.add(res);
  res.on('close', () => watchers.delete(res));
}

/** Reads the posted pod for its name, fans out one ADDED event, answers with the pod. */
function create(req: IncomingMessage, res: ServerResponse): void {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const posted = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { metadata?: { name?: string } };
    const object = { ...pod, metadata: { ...pod.metadata, name: posted.metadata?.name } };
    const body = JSON.stringify(object);
    // One serialization shared by all watchers: the cheapest fan-out node can do.
    const event = `{"type":"ADDED","object":${body}}\n`;
    for (const watcher of watchers) watcher.write(event);
    reply(res, 201, body);
  });
}

const https = createHttpsServer(
  { cert: readFileSync(join(dir, 'cert.pem')), key: readFileSync(join(dir, 'key.pem')) },
  handle,
);
const http = createHttpServer(handle);

function listen(server: typeof http | typeof https): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );
}

const [httpsPort, httpPort] = await Promise.all([listen(https), listen(http)]);
console.log(`bare server on https://127.0.0.1:${httpsPort} and http://127.0.0.1:${httpPort}`);

process.once('SIGTERM', () => {
  for (const server of [https, http]) {
    server.close();
    server.closeAllConnections();
  }
  process.exit(0);
});
