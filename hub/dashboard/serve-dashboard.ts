// The web dashboard on the API's HTTPS port: `/` asked for by a browser (Accept: text/html) is
// the page, `/dashboard/<file>` its scripts and styles. Everything else (`/` when a client asks
// for JSON, a name that is not one of the files) goes on to the API, so discovery, OpenAPI and
// kubectl see no change and every refusal is the API's Status.
// The files are public, as a login page is: they hold no data. Every call the page makes for
// data goes to the API with the user's bearer token and is authenticated and authorized there.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { loadDashboardFiles, type StaticFile } from './dashboard-files.js';

export const dashboardPrefix = '/dashboard/';

/**
 * Only this origin's scripts, styles and API; no inline script or style, no frames, no plugins,
 * no form posting anywhere.
 */
const contentSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const securityHeaders = {
  'Content-Security-Policy': contentSecurityPolicy,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  // Revalidated on each load (the ETag makes that a 304): a hub upgrade shows at once.
  'Cache-Control': 'no-cache',
};

export type DashboardHandler = (req: IncomingMessage, res: ServerResponse, path: string) => boolean;

/** A handler that answers the dashboard's requests (true) and leaves the rest to the API (false). */
export function dashboardHandler(files: Map<string, StaticFile> = loadDashboardFiles()): DashboardHandler {
  return (req, res, path) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    let file: StaticFile | undefined;
    if (path === '/') {
      if (!wantsHtml(req.headers.accept)) return false;
      file = files.get('index.html');
    } else if (path.startsWith(dashboardPrefix)) {
      file = files.get(path.slice(dashboardPrefix.length));
    } else {
      return false;
    }
    // Not one of its files: the API answers, as for any path it does not serve (401, or 404 Status).
    if (!file) return false;
    if (req.headers['if-none-match'] === file.etag) {
      res.writeHead(304, { ...securityHeaders, ETag: file.etag });
      res.end();
      return true;
    }
    res.writeHead(200, {
      ...securityHeaders,
      'Content-Type': file.contentType,
      'Content-Length': file.body.length,
      ETag: file.etag,
    });
    res.end(req.method === 'HEAD' ? undefined : file.body);
    return true;
  };
}

/** A browser navigating asks for text/html first; API clients ask for JSON, protobuf or nothing. */
function wantsHtml(accept: string | undefined): boolean {
  return (accept ?? '').split(',').some((part) => part.split(';')[0]!.trim().toLowerCase() === 'text/html');
}
