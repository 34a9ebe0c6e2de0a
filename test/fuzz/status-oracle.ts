// The answer oracles: no 5xx for anything a client sends, and every refusal a Kubernetes
// Status (kind Status, apiVersion v1, status Failure, code equal to the HTTP code, a message
// and a reason), the form kubectl and client-go parse.
import { METHODS } from 'node:http';
import type { FuzzResponse } from './fuzz-client.js';

/** Why `res` breaks the oracles, or undefined when it does not. */
export function answerProblem(method: string, path: string, res: FuzzResponse): string | undefined {
  if (res.status >= 500 && !gatewayUnavailable(path, res))
    return `answered ${res.status}: ${res.text.slice(0, 300)}`;
  if (res.status < 400) return undefined;
  if (method === 'HEAD') return undefined; // no body by definition
  // A method Node's HTTP parser does not know never reaches the API server: the parser answers
  // a bare 400 and closes the connection (HTTP's refusal; Go's server, too, answers malformed
  // requests in plain text before any handler).
  if (!METHODS.includes(method))
    return res.status === 400 ? undefined : `unknown method answered ${res.status}`;
  // A request head past Node's 16 KiB (a long URL) is refused by the parser the same way: 431.
  if (res.status === 431 && res.text === '') return undefined;
  return statusFormProblem(res.status, res.text);
}

export function statusFormProblem(code: number, text: string): string | undefined {
  let body: any;
  try {
    body = JSON.parse(text);
  } catch {
    return `${code} answer is not JSON: ${JSON.stringify(text.slice(0, 200))}`;
  }
  const problems: string[] = [];
  if (body?.kind !== 'Status') problems.push(`kind ${JSON.stringify(body?.kind)}`);
  if (body?.apiVersion !== 'v1') problems.push(`apiVersion ${JSON.stringify(body?.apiVersion)}`);
  if (body?.status !== 'Failure') problems.push(`status ${JSON.stringify(body?.status)}`);
  if (body?.code !== code) problems.push(`code ${JSON.stringify(body?.code)}`);
  if (typeof body?.message !== 'string' || body.message === '') problems.push('no message');
  if (typeof body?.reason !== 'string' || body.reason === '') problems.push('no reason');
  if (typeof body?.details !== 'object' || body.details === null) problems.push('no details');
  return problems.length > 0
    ? `${code} answer is not a Status (${problems.join(', ')}): ${text.slice(0, 200)}`
    : undefined;
}

/**
 * Logs and exec are served by the pod's gateway: one that is not connected is the server's
 * condition, not the client's input, and is a 503 ServiceUnavailable Status.
 */
function gatewayUnavailable(path: string, res: FuzzResponse): boolean {
  const [route] = path.split('?');
  return (
    res.status === 503 && /\/pods\/[^/]+\/(log|exec)$/.test(route ?? '') && !statusFormProblem(503, res.text)
  );
}
