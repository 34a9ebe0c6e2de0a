import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { asTestCommand, readmeSection, shellCommands } from '../../helpers/readme-commands.js';

describe("the README's quick-start commands", () => {
  const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');

  it('are read from its sh blocks, continuations joined, comments kept out', () => {
    const section =
      '\n## Try\ntext\n```sh\na --x \\\n  --y   # why\n# only a comment\n\nb\n```\n## Next\n```sh\nc\n```\n';
    assert.deepEqual(shellCommands(readmeSection(section, 'Try')), ['a --x --y   # why', 'b']);
  });

  it('start the hub with a relative data dir, import an image without a registry, run a pod and read its log', () => {
    const commands = shellCommands(readmeSection(readme, 'Quick start'));
    assert.ok(commands.some((c) => /^sudo npx flotilla hub --data-dir \.\/hub-data\b/.test(c)));
    assert.ok(commands.some((c) => /flotilla agent image pack /.test(c)));
    assert.ok(commands.some((c) => /flotilla agent image import .* --data-dir \.\/hub-data\/agent/.test(c)));
    assert.ok(commands.some((c) => /^kubectl .* logs hello$/.test(c)));
  });

  it('become the built binary and the pinned kubectl', () => {
    const tools = { node: '/n', flotillaBin: '/f.js', kubectl: '/k', kubectlCacheDir: '/c' };
    assert.equal(asTestCommand('sudo npx flotilla hub --data-dir ./d', tools), '/n /f.js hub --data-dir ./d');
    assert.equal(asTestCommand('kubectl get nodes', tools), '/k --cache-dir /c get nodes');
    assert.equal(asTestCommand('mkdir -p x', tools), 'mkdir -p x');
  });
});
