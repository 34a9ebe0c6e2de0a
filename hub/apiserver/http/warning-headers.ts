// `Warning` response headers as kube-apiserver writes them (RFC 7234 form: code 299, agent "-",
// quoted text). Warnings can quote what a client sent (an unknown field's name), so the text is
// escaped to printable ASCII — a header may not carry anything else — and bounded like kube's:
// each text at most 256 characters, all of them together at most 4 KiB; the rest is left out.
const maxWarningLength = 256;
const maxWarningsBytes = 4 * 1024;

/** `text` as a double-quoted string of printable ASCII (`\\uXXXX` for anything else). */
function quoteAscii(text: string): string {
  return JSON.stringify(text).replace(
    /[^\x20-\x7e]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** The header values for `warnings`, duplicates once, within kube's bounds. */
export function warningHeaders(warnings: readonly string[]): string[] {
  const headers: string[] = [];
  let total = 0;
  for (const warning of new Set(warnings)) {
    const text = warning.length > maxWarningLength ? `${warning.slice(0, maxWarningLength - 3)}...` : warning;
    const header = `299 - ${quoteAscii(text)}`;
    if (total + header.length > maxWarningsBytes) break;
    headers.push(header);
    total += header.length;
  }
  return headers;
}
