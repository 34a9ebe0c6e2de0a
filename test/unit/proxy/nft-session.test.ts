import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { NftSession, NftSessionError } from '../../../edge-agent/proxy/nft-session.js';
import { eventually } from '../../helpers/eventually.js';

// The line protocol against a stand-in for `nft -i` (the real one runs in the proxy e2e): it
// answers the marker as nft 1.0.6 does, refuses lines naming `bogus` as nft would (message on
// stderr, echoing the line), keeps the lines it accepted, and exits on `die`.
const fakeNft = `
applied=""
while IFS= read -r line; do
  case "$line" in
    "describe tcp dport") echo "payload expression, datatype inet_service (internet network service) (basetype integer), 16 bits" ;;
    *bogus*) printf 'Error: No such file or directory\\n%s\\n      ^^^^^\\n' "$line" >&2 ;;
    die) exit 3 ;;
    "list applied") echo "applied:$applied" ;;
    *) applied="$applied[$line]" ;;
  esac
done
`;

describe('NftSession line protocol', () => {
  let session: NftSession;
  const started: number[] = [];

  beforeEach(() => {
    started.length = 0;
    session = new NftSession({
      argv: ['sh', '-c', `{ ${fakeNft} } 2>&1`],
      start: (argv) => {
        const child = spawn(argv[0]!, argv.slice(1), { stdio: ['pipe', 'pipe', 'pipe'] });
        started.push(child.pid!);
        return child;
      },
    });
  });

  afterEach(() => session.close());

  it('sends a script as one line, its commands joined, and resolves once the marker comes back', async () => {
    await session.apply('add element ip flotilla a { 1 }\n\ndelete element ip flotilla b { 2 }\n');
    await session.apply('add element ip flotilla c { 3 }\n');
    assert.equal(started.length, 1, 'one process for both');
    // What the stand-in accepted, read through the same protocol.
    const seen: string[] = [];
    await session.apply('list applied').catch((err: Error) => seen.push(err.message));
    assert.match(
      seen[0] ?? '',
      /applied:\[add element ip flotilla a \{ 1 \}; delete element ip flotilla b \{ 2 \}\]\[add element ip flotilla c \{ 3 \}\]/,
    );
  });

  it("rejects with nft's message when the line is refused, and keeps working", async () => {
    await assert.rejects(
      session.apply('add element ip flotilla bogus { 1 }\n'),
      (err: Error) =>
        err instanceof NftSessionError &&
        /No such file or directory; add element ip flotilla bogus/.test(err.message),
    );
    await session.apply('add element ip flotilla a { 1 }\n');
    assert.equal(started.length, 1);
  });

  it('runs requests one at a time, each getting its own answer', async () => {
    const results = await Promise.allSettled([
      session.apply('add element ip flotilla a { 1 }'),
      session.apply('add element ip flotilla bogus { 2 }'),
      session.apply('add element ip flotilla c { 3 }'),
    ]);
    assert.deepEqual(
      results.map((r) => r.status),
      ['fulfilled', 'rejected', 'fulfilled'],
    );
  });

  it('fails the request of a process that died, and starts a new one for the next', async () => {
    await assert.rejects(session.apply('die'), /nft session ended \(exit 3\)/);
    assert.equal(session.running, false);
    await session.apply('add element ip flotilla a { 1 }');
    assert.equal(started.length, 2);
  });

  it('ends the process on close', async () => {
    await session.apply('add element ip flotilla a { 1 }');
    const pid = started[0]!;
    session.close();
    assert.equal(session.running, false);
    await eventually(() => {
      try {
        process.kill(pid, 0);
        return false;
      } catch {
        return true;
      }
    });
  });

  it('refuses comments, which would swallow the rest of the line', async () => {
    await assert.rejects(session.apply('# a comment\nadd element ip flotilla a { 1 }'), /comments/);
  });
});
