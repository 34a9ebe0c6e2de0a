// $(VAR) expansion in env values, command and args, with the Kubernetes rules
// (third_party/forked/golang/expansion): `$(NAME)` becomes NAME's value when NAME is defined
// and stays as written when it is not; `$$` is an escaped `$`; any other `$` is kept.

export function expandVars(input: string, lookup: (name: string) => string | undefined): string {
  let out = '';
  let i = 0;
  while (i < input.length) {
    const char = input[i];
    if (char !== '$' || i + 1 >= input.length) {
      out += char;
      i++;
      continue;
    }
    const next = input[i + 1];
    if (next === '$') {
      out += '$';
      i += 2;
    } else if (next === '(') {
      const close = input.indexOf(')', i + 2);
      if (close < 0) {
        // An unterminated reference is kept as is.
        out += '$(';
        i += 2;
        continue;
      }
      const name = input.slice(i + 2, close);
      out += lookup(name) ?? `$(${name})`;
      i = close + 1;
    } else {
      out += `$${next}`;
      i += 2;
    }
  }
  return out;
}

export function lookupIn(env: ReadonlyMap<string, string>): (name: string) => string | undefined {
  return (name) => env.get(name);
}
