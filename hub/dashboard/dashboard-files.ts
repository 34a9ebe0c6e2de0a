// The dashboard's static files (hub/dashboard/static/: HTML, ES modules, CSS), read once when
// the hub starts and served from memory. Only the files found there by name are ever served: no
// request path reaches the file system, so there is nothing to traverse.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface StaticFile {
  body: Buffer;
  contentType: string;
  etag: string;
}

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/** A file name the dashboard may serve: lower-case, no path, a known type. */
const servable = /^[a-z0-9][a-z0-9-]*\.(html|js|css|svg)$/;

/** Beside this module: hub/dashboard/static from the sources, dist/hub/dashboard/static once built. */
export const defaultStaticDir = fileURLToPath(new URL('./static/', import.meta.url));

export function loadDashboardFiles(dir = defaultStaticDir): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  if (!existsSync(dir)) return files;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (!servable.test(name) || !statSync(path).isFile()) continue;
    const body = readFileSync(path);
    const type = contentTypes[name.slice(name.lastIndexOf('.'))]!;
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
    files.set(name, { body, contentType: type, etag });
  }
  return files;
}
