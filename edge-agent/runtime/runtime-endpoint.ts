// The --runtime-endpoint flag: a CRI runtime's unix socket, as `unix:///abs/path`, `/abs/path` or
// a path relative to the current directory. Always answered as `unix://` + an absolute path:
// `unix://run/x.sock` would name the host "run" (a URL's first segment after // is its
// authority), which is how a relative data dir once became an unreachable socket.
import { resolve } from 'node:path';

export type EndpointParse = { ok: true; endpoint: string; socket: string } | { ok: false; error: string };

export function parseRuntimeEndpoint(value: string, cwd: string = process.cwd()): EndpointParse {
  const refuse = (why: string): EndpointParse => ({
    ok: false,
    error: `--runtime-endpoint: Invalid value: ${JSON.stringify(value)}: ${why}`,
  });
  if (value === '') return refuse('must be a unix socket: unix:///run/containerd/containerd.sock');
  let path: string;
  if (value.startsWith('unix://')) {
    path = value.slice('unix://'.length);
    if (!path.startsWith('/'))
      return refuse('a unix:// endpoint needs an absolute path (unix:///run/x.sock); or give a plain path');
  } else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    return refuse('must be a unix socket: unix:///run/containerd/containerd.sock');
  } else {
    path = resolve(cwd, value);
  }
  return { ok: true, endpoint: `unix://${path}`, socket: path };
}
