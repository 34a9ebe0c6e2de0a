// The rule that the agent never loads hub code, for the command that starts it: everything
// `flotilla agent` imports (statically, or through import() on its way to a running agent).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';

const repo = resolve(import.meta.dirname, '../../..');

/** Every repository file reachable from `entry` through relative imports, static or dynamic. */
function reachable(entry: string): Set<string> {
  const seen = new Set<string>();
  const walk = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const [, spec] of text.matchAll(/(?:from|import\()\s*'(\.{1,2}\/[^']+)\.js'/g)) {
      walk(resolve(dirname(file), `${spec}.ts`));
    }
  };
  walk(resolve(repo, entry));
  return new Set([...seen].map((file) => relative(repo, file)));
}

describe('flotilla agent (what it loads)', () => {
  it('reaches no hub code from the agent command', () => {
    const files = [...reachable('cli/agent-command.ts')];
    assert.ok(files.includes('edge-agent/agent.ts'), 'the walk reaches the agent');
    assert.deepEqual(
      files.filter((file) => file.startsWith('hub/')),
      [],
    );
  });
});
