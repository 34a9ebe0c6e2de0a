// Keys a JSON body names twice in one object. JSON.parse keeps the last silently; kube-apiserver's
// strict decoder reports each (`duplicate field "spec.replicas"`) for fieldValidation=Strict and
// warns for Warn. Runs on text JSON.parse has already accepted, so it only tracks structure.
import { type FieldPath, fieldPathText } from '../openapi/unknown-fields.js';

type Frame =
  | { kind: 'object'; path: FieldPath; keys: Set<string>; key: string | undefined }
  | { kind: 'array'; path: FieldPath; index: number };

/** The path of every repeated key, in document order (valid JSON only). */
export function duplicateJsonFields(text: string): string[] {
  const found: string[] = [];
  const stack: Frame[] = [];
  /** The path of the value that starts next, from the innermost container. */
  const nextPath = (): FieldPath => {
    const top = stack[stack.length - 1];
    if (!top) return [];
    return top.kind === 'array' ? [...top.path, top.index] : [...top.path, top.key ?? ''];
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '{' || c === '[') {
      const path = nextPath();
      stack.push(
        c === '{'
          ? { kind: 'object', path, keys: new Set(), key: undefined }
          : { kind: 'array', path, index: 0 },
      );
    } else if (c === '}' || c === ']') {
      stack.pop();
    } else if (c === ',') {
      const top = stack[stack.length - 1];
      if (top?.kind === 'array') top.index++;
      else if (top) top.key = undefined;
    } else if (c === '"') {
      const end = stringEnd(text, i);
      const top = stack[stack.length - 1];
      if (top?.kind === 'object' && top.key === undefined) {
        const raw = text.slice(i, end + 1);
        const key = raw.includes('\\') ? (JSON.parse(raw) as string) : raw.slice(1, -1);
        if (top.keys.has(key)) found.push(fieldPathText([...top.path, key]));
        top.keys.add(key);
        top.key = key;
      }
      i = end;
    }
  }
  return found;
}

/** The index of the quote that closes the string opening at `start`. */
function stringEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') i++;
    else if (c === '"') return i;
  }
  return text.length - 1;
}
