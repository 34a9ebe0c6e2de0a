// The commands of a README section, as a reader would type them: every line of its ```sh blocks,
// with backslash continuations joined. Tests run them, so the README cannot drift from what works.
export function readmeSection(readme: string, heading: string): string {
  const start = readme.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`README has no "## ${heading}" section`);
  const next = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, next < 0 ? undefined : next);
}

export function shellCommands(section: string): string[] {
  const commands: string[] = [];
  for (const block of section.matchAll(/```sh\n([\s\S]*?)```/g)) {
    const joined = (block[1] ?? '').replace(/\\\n\s*/g, '');
    for (const line of joined.split('\n')) {
      const command = line.trim();
      if (command !== '' && !command.startsWith('#')) commands.push(command);
    }
  }
  return commands;
}

/**
 * A README command as the test runs it: `sudo` dropped (tests run as root), `npx flotilla` the
 * built binary (npx would leave a child the test cannot signal, firmware-notes/host-runtime.md §5), `kubectl` the
 * pinned version with a cache dir of the test's own.
 */
export function asTestCommand(
  command: string,
  tools: { node: string; flotillaBin: string; kubectl: string; kubectlCacheDir: string },
): string {
  return command
    .replace(/^sudo\s+/, '')
    .replace(/^npx flotilla\b/, `${tools.node} ${tools.flotillaBin}`)
    .replace(/^kubectl\b/, `${tools.kubectl} --cache-dir ${tools.kubectlCacheDir}`);
}
