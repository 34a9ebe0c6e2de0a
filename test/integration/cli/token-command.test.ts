import assert from 'node:assert/strict';
import { bootstrapTokenPattern } from '../../../api/bootstrap-token.js';
import { caCertHash } from '../../../api/mqtt/join-string.js';
import { runTokenCommand } from '../../../cli/token-command.js';
import { readNodeToken } from '../../../hub/broker/broker-tokens.js';
import { captureLogger } from '../../helpers/capture-logger.js';
import { eventually } from '../../helpers/eventually.js';
import { tempDir } from '../../helpers/hub-process.js';
import { startTestHub, type TestHub } from '../../helpers/test-hub.js';
import { aNodeKey } from '../edge-sync/mqtt-hub.js';
import { connectAsGateway } from '../fleet/fleet-harness.js';

describe('flotilla token: bootstrap tokens with an expiry, created, listed and revoked', function () {
  this.timeout(20_000);
  let t: TestHub;
  const logs: string[] = [];
  const token = async (...args: string[]) => {
    const out: string[] = [];
    await runTokenCommand([...args, '--data-dir', t.dataDir], (line) => out.push(line));
    return out;
  };
  /** Whether a new gateway may join with `joinToken` (its first connect, with a fresh key). */
  let gateways = 0;
  const joins = async (joinToken: string) => {
    const node = `gw-new-${++gateways}`;
    const hub = { mqttUrl: t.hub.mqtt.mqttUrl, caPem: t.hub.caPem };
    const client = await connectAsGateway(hub, node, joinToken, aNodeKey()).catch((err: Error) => err);
    if (client instanceof Error) return client.message;
    await client.endAsync(true);
    return 'joined';
  };

  before(async () => {
    t = await startTestHub(tempDir('token-cli'), {
      controllers: ['namespace', 'tokencleaner'],
      log: captureLogger(logs),
    });
  });
  after(async () => {
    await t.close();
  });

  it("lists the hub's default token, DIR/node-token, which expires in 24 h", async () => {
    const nodeToken = readNodeToken(t.dataDir)!;
    assert.match(nodeToken, bootstrapTokenPattern);
    const lines = await token('list');
    assert.match(lines[0]!, /^TOKEN\s+TTL\s+EXPIRES\s+USAGES\s+DESCRIPTION\s+EXTRA GROUPS$/);
    const row = lines.find((line) => line.startsWith(nodeToken));
    assert.ok(row, lines.join('\n'));
    assert.match(row, /\s(23h|24h)\s/);
    assert.match(row, /authentication,signing/);
    assert.equal(await joins(nodeToken), 'joined');
  });

  it('creates a token that joins gateways, lists it with its description, and revokes it on delete', async () => {
    const [printed] = await token('create', '--ttl', '2h', '--description', 'hall 3 rollout');
    // The join string: the token and the pin of the hub's CA.
    const [created, pin] = printed!.split('::');
    assert.equal(pin, caCertHash(t.hub.caPem));
    assert.match(created!, bootstrapTokenPattern);
    const row = (await token('list')).find((line) => line.startsWith(created!));
    assert.ok(row);
    assert.match(row, /\s(1h|2h)\s.*hall 3 rollout/);
    assert.equal(await joins(created!), 'joined');

    assert.deepEqual(await token('delete', created!.slice(0, 6)), [
      `bootstrap token "${created!.slice(0, 6)}" deleted`,
    ]);
    assert.equal(
      (await token('list')).some((line) => line.startsWith(created!)),
      false,
    );
    assert.match(await joins(created!), /Bad username or password/);
    await assert.rejects(token('delete', created!), /bootstrap token ".{6}" not found/);
  });

  it('never expires with --ttl 0', async () => {
    const [created] = (await token('create', '--ttl', '0'))[0]!.split('::');
    const row = (await token('list')).find((line) => line.startsWith(created!));
    assert.match(row!, /<forever>\s+<never>/);
  });

  it('refuses an expired token at once, and the token cleaner deletes it', async () => {
    const [created] = (await token('create', '--ttl', '1s'))[0]!.split('::');
    await eventually(async () => /Bad username or password/.test(await joins(created!)), {
      timeoutMs: 5_000,
    });
    await eventually(async () => !(await token('list')).some((line) => line.startsWith(created!)), {
      timeoutMs: 5_000,
    });
    assert.ok(logs.some((line) => line.includes(`deleted expired bootstrap token ${created!.slice(0, 6)}`)));
  });

  it('names what is wrong with its flags', async () => {
    await assert.rejects(runTokenCommand(['list']), /--data-dir DIR or --kubeconfig FILE is required/);
    await assert.rejects(token('create', '--ttl', 'soon'), /--ttl must be a duration/);
    await assert.rejects(token('delete', 'Not-A-Token'), /neither a token ID/);
    await assert.rejects(runTokenCommand(['rotate']), /unknown token subcommand "rotate"/);
  });
});
