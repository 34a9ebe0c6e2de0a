// The hub's Kubernetes API from the page: every call carries the bearer token kept in this tab
// (sessionStorage: gone when the tab closes, never sent anywhere but this origin's API).
// Live views list a collection, then follow it with the API's watch read as a fetch stream: the
// same authentication, RBAC and resourceVersion semantics as kubectl's `get -w`, no other server.

const tokenKey = 'flotilla.token';

export const session = {
  token: () => sessionStorage.getItem(tokenKey),
  keep: (token) => sessionStorage.setItem(tokenKey, token),
  forget: () => sessionStorage.removeItem(tokenKey),
};

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

export async function call(path, { method = 'GET', body, accept = 'application/json', signal } = {}) {
  const headers = { Authorization: `Bearer ${session.token()}`, Accept: accept };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    cache: 'no-store',
    signal,
  });
  if (!res.ok) {
    let message = `${res.status} ${res.statusText}`;
    try {
      message = (await res.json()).message ?? message;
    } catch {}
    throw new ApiError(res.status, message);
  }
  return res;
}

export const getJson = async (path) => (await call(path)).json();
export const getText = async (path) => (await call(path, { accept: 'text/plain' })).text();

/** Who the token is (SelfSubjectReview, as `kubectl auth whoami`); throws 401 for a bad token. */
export async function whoami() {
  const res = await call('/apis/authentication.k8s.io/v1/selfsubjectreviews', {
    method: 'POST',
    body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' },
  });
  return (await res.json()).status?.userInfo?.username ?? '';
}

export const keyOf = (obj) => `${obj.metadata.namespace ?? ''}/${obj.metadata.name}`;

const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Keeps a map of a collection's objects by namespace/name current: list, then watch from the
 * list's resourceVersion; a stream that ends or fails is listed again (after 2 s on errors).
 * `changed(objects)` runs after each change; `state(kind, message)` hears 'live', 'reconnecting',
 * 'forbidden' and 'unauthorized' (the last two stop following).
 */
export function follow(path, changed, state) {
  const objects = new Map();
  let stopped = false;
  let aborter;
  const once = async () => {
    const list = await getJson(path);
    objects.clear();
    for (const obj of list.items ?? []) objects.set(keyOf(obj), obj);
    changed(objects);
    state('live');
    aborter = new AbortController();
    const sep = path.includes('?') ? '&' : '?';
    const watch = `${path}${sep}watch=true&allowWatchBookmarks=true&resourceVersion=${list.metadata.resourceVersion}`;
    const res = await call(watch, { signal: aborter.signal });
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
        const line = buffer.slice(0, nl).trim();
        buffer = buffer.slice(nl + 1);
        if (line) apply(JSON.parse(line));
      }
    }
  };
  const apply = (event) => {
    if (event.type === 'ERROR')
      throw new ApiError(event.object?.code ?? 500, event.object?.message ?? 'watch error');
    if (event.type === 'BOOKMARK') return;
    if (event.type === 'DELETED') objects.delete(keyOf(event.object));
    else objects.set(keyOf(event.object), event.object);
    changed(objects);
  };
  (async () => {
    while (!stopped) {
      try {
        await once();
      } catch (err) {
        if (stopped) return;
        if (err.status === 401 || err.status === 403) {
          state(err.status === 401 ? 'unauthorized' : 'forbidden', err.message);
          return;
        }
        state('reconnecting', err.message);
        await pause(2000);
      }
    }
  })();
  return {
    objects,
    stop() {
      stopped = true;
      aborter?.abort();
    },
  };
}
