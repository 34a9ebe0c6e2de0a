// The service proxy on real netfilter, in each mode: iptables through iptables-nft and through
// iptables-legacy (chosen by the proxy's own backend detection), and nftables. Every suite builds
// its own little network in throwaway namespaces, so the host's firewall is never touched:
//
//   client (192.168.77.2) ── up0 ── node (192.168.77.1; pod bridge br0 10.77.0.1/24;
//                                         default route out of `uplink` to a router that drops it all)
//                                     └─ br0 ── pod-1 10.77.0.11, pod-2 .12, pod-3 .13 (busybox httpd :8080)
//
// The proxy runs in this process and writes its rules in the node namespace; clients are small
// Node scripts started inside the client, node or pod namespaces, one new connection per request.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../api/logger.js';
import { missingForRules, ScratchNetns } from '../../bench/lib/scratch-netns.js';
import { cleanupRules } from '../../edge-agent/proxy/cleanup-rules.js';
import { IptablesApplier } from '../../edge-agent/proxy/iptables-applier.js';
import { NftApplier } from '../../edge-agent/proxy/nft-applier.js';
import type { RuleApplier } from '../../edge-agent/proxy/rule-applier.js';
import type { CommandRunner } from '../../edge-agent/proxy/run-command.js';
import { type ProxyInput, ServiceProxy } from '../../edge-agent/proxy/service-proxy.js';
import { hasCommand, isRoot, skipSuiteUnless } from '../helpers/environment.js';
import { eventually } from '../helpers/eventually.js';
import { aService, aSlice } from '../unit/proxy/proxy-builders.js';

const podCIDR = '10.77.0.0/24';
const podIP = (i: number) => `10.77.0.${10 + i}`;
const nodeIP = '192.168.77.1';

interface Answer {
  ok: boolean;
  body?: string;
  code?: string;
  at: number;
}

/** One HTTP request per new connection to argv[1]; `count` of them, or until SIGTERM. */
const probeScript = `
const http = require('node:http');
const [url, mode, n] = process.argv.slice(1);
const once = () => new Promise((resolve) => {
  const req = http.get(url, { agent: false, timeout: 3000 }, (res) => {
    let body = '';
    res.on('data', (d) => { body += d; });
    res.on('end', () => resolve({ ok: true, body: body.trim(), at: Date.now() }));
  });
  req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })));
  req.on('error', (e) => resolve({ ok: false, code: e.code || e.message, at: Date.now() }));
});
(async () => {
  const results = [];
  let stop = false;
  process.on('SIGTERM', () => { stop = true; });
  for (let i = 0; mode === 'loop' ? !stop : i < Number(n); i++) {
    const r = await once();
    results.push(r);
    if (r.ok) process.stderr.write('.');
  }
  process.stdout.write(JSON.stringify(results));
})();
`;

class Lab {
  node!: ScratchNetns;
  client!: ScratchNetns;
  upstream!: ScratchNetns;
  pods: ScratchNetns[] = [];
  private servers: ChildProcess[] = [];
  private www = mkdtempSync(join(tmpdir(), 'flotilla-proxy-e2e-'));

  async start(tag: string): Promise<void> {
    this.node = await ScratchNetns.create('flpx', `${tag}-n`);
    this.client = await ScratchNetns.create('flpx', `${tag}-c`);
    const node = this.node;
    await node.ip('link', 'add', 'br0', 'type', 'bridge');
    await node.ip('addr', 'add', '10.77.0.1/24', 'dev', 'br0');
    await node.ip('link', 'set', 'br0', 'up');
    // The uplink leads to a router that forwards nothing: traffic no rule catches goes nowhere.
    this.upstream = await ScratchNetns.create('flpx', `${tag}-u`);
    await node.ip(
      'link',
      'add',
      'uplink',
      'type',
      'veth',
      'peer',
      'name',
      'eth0',
      'netns',
      this.upstream.name,
    );
    await node.ip('addr', 'add', '198.18.0.1/24', 'dev', 'uplink');
    await node.ip('link', 'set', 'uplink', 'up');
    await this.upstream.ip('addr', 'add', '198.18.0.2/24', 'dev', 'eth0');
    await this.upstream.ip('link', 'set', 'eth0', 'up');
    await node.ip('route', 'add', 'default', 'via', '198.18.0.2');
    await node.ip('link', 'add', 'up0', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', this.client.name);
    await node.ip('addr', 'add', `${nodeIP}/24`, 'dev', 'up0');
    await node.ip('link', 'set', 'up0', 'up');
    await this.client.ip('addr', 'add', '192.168.77.2/24', 'dev', 'eth0');
    await this.client.ip('link', 'set', 'eth0', 'up');
    await this.client.ip('route', 'add', 'default', 'via', nodeIP);
    await node.sysctl('net.ipv4.ip_forward=1');
    for (let i = 1; i <= 3; i++) {
      const pod = await ScratchNetns.create('flpx', `${tag}-p${i}`);
      this.pods.push(pod);
      await node.ip('link', 'add', `veth${i}`, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', pod.name);
      await node.ip('link', 'set', `veth${i}`, 'master', 'br0', 'up');
      // What CNI's hairpinMode does: a pod's own packet may come back out of its bridge port.
      await node.run(['bridge', 'link', 'set', 'dev', `veth${i}`, 'hairpin', 'on']);
      await pod.ip('addr', 'add', `${podIP(i)}/24`, 'dev', 'eth0');
      await pod.ip('link', 'set', 'eth0', 'up');
      await pod.ip('route', 'add', 'default', 'via', '10.77.0.1');
      const dir = join(this.www, `pod-${i}`);
      mkdirSync(dir);
      writeFileSync(join(dir, 'index.html'), `pod-${i}\n`);
      this.servers.push(
        spawn('ip', ['netns', 'exec', pod.name, 'busybox', 'httpd', '-f', '-p', '8080', '-h', dir], {
          stdio: 'ignore',
        }),
      );
    }
    for (let i = 1; i <= 3; i++)
      await eventually(
        async () => (await this.get(this.node, `http://${podIP(i)}:8080/`, 1))[0]?.body === `pod-${i}`,
      );
  }

  /** `count` requests from inside `from`, each on a new connection. */
  async get(from: ScratchNetns, url: string, count: number): Promise<Answer[]> {
    const { stdout } = await from.run(['node', '-e', probeScript, url, 'count', String(count)]);
    return JSON.parse(stdout) as Answer[];
  }

  /** Requests in a loop until stopped; `progress()` counts the answered ones so far. */
  loop(from: ScratchNetns, url: string): { progress: () => number; stop: () => Promise<Answer[]> } {
    const child = spawn('ip', ['netns', 'exec', from.name, 'node', '-e', probeScript, url, 'loop'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let dots = 0;
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr!.on('data', (d: Buffer) => {
      dots += d.toString().split('.').length - 1;
    });
    return {
      progress: () => dots,
      stop: () =>
        new Promise((resolve) => {
          child.once('exit', () => resolve(JSON.parse(out) as Answer[]));
          child.kill('SIGTERM');
        }),
    };
  }

  async stop(): Promise<void> {
    for (const server of this.servers) {
      if (server.exitCode !== null || server.signalCode !== null) continue;
      const exited = new Promise((resolve) => server.once('exit', resolve));
      server.kill('SIGKILL');
      await exited;
    }
    for (const netns of [...this.pods, this.client, this.upstream, this.node]) await netns?.delete();
    rmSync(this.www, { recursive: true, force: true });
  }
}

function desired(webBackends: number[], stickyBackends = [1, 2]): ProxyInput {
  const web = aService('web', '10.96.0.10', [{ port: 80, targetPort: 8080, nodePort: 30080 }]);
  web.spec.type = 'NodePort';
  web.spec.externalTrafficPolicy = 'Cluster';
  const sticky = aService('sticky', '10.96.0.12');
  sticky.spec.sessionAffinity = 'ClientIP';
  sticky.spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: 300 } };
  const backends = (list: number[]) => list.map((i) => ({ ip: podIP(i), node: 'flp-e2e' }));
  return {
    services: [web, aService('empty', '10.96.0.11'), sticky],
    endpointSlices: [
      aSlice('web', backends(webBackends)),
      aSlice('empty', []),
      aSlice('sticky', backends(stickyBackends)),
    ],
    podCIDR,
  };
}

const bodies = (answers: Answer[]) => new Set(answers.map((a) => (a.ok ? a.body : `failed: ${a.code}`)));

interface Mode {
  title: string;
  applier: (run: CommandRunner) => RuleApplier;
  /** A rule standing in for CNI's, added before the proxy starts; it must survive everything. */
  foreign: (node: ScratchNetns) => Promise<void>;
  foreignStillThere: (node: ScratchNetns) => Promise<boolean>;
  /** Backend the detection must pick, in iptables mode. */
  backend?: 'nft' | 'legacy';
}

function iptablesMode(backend: 'nft' | 'legacy'): Mode {
  const tool = `iptables-${backend}`;
  return {
    title: `iptables mode, ${backend} backend`,
    backend,
    applier: (run) => new IptablesApplier({ run, log: silentLogger }),
    foreign: async (node) => {
      await node.run([tool, '-t', 'nat', '-N', 'CNI-SIM']);
      await node.run([tool, '-t', 'nat', '-A', 'CNI-SIM', '-d', podCIDR, '-j', 'ACCEPT']);
      await node.run([tool, '-t', 'nat', '-A', 'POSTROUTING', '-s', podCIDR, '-j', 'CNI-SIM']);
    },
    foreignStillThere: async (node) => {
      const saved = (await node.run([`${tool}-save`, '-t', 'nat'])).stdout;
      return (
        saved.includes(`-A POSTROUTING -s ${podCIDR} -j CNI-SIM`) &&
        saved.includes(`-A CNI-SIM -d ${podCIDR} -j ACCEPT`)
      );
    },
  };
}

const nftMode: Mode = {
  title: 'nftables mode',
  applier: (run) => new NftApplier({ run, log: silentLogger }),
  foreign: async (node) => {
    await node.run(
      ['nft', '-f', '-'],
      'table ip cni-sim {\n chain post {\n  type nat hook postrouting priority srcnat;\n  ip saddr 10.77.0.0/24 ip daddr 10.77.0.0/24 accept\n }\n}\n',
    );
  },
  foreignStillThere: async (node) =>
    (await node.run(['nft', 'list', 'table', 'ip', 'cni-sim'])).stdout.includes(
      'ip daddr 10.77.0.0/24 accept',
    ),
};

const modes: Mode[] = [iptablesMode('nft'), iptablesMode('legacy'), nftMode];

modes.forEach((mode, index) => {
  describe(`service proxy on real netfilter: ${mode.title}`, function () {
    this.timeout(60_000);
    const lab = new Lab();
    let proxy: ServiceProxy | undefined;
    const start = async (input: ProxyInput) => {
      proxy?.stop();
      const applier = mode.applier(lab.node.run);
      proxy = new ServiceProxy({ applier, nodeName: 'flp-e2e', addresses: [nodeIP], log: silentLogger });
      proxy.setDesired(input);
      await proxy.flush();
      if (mode.backend) assert.equal(await (applier as IptablesApplier).backend(), mode.backend);
    };

    before(async function () {
      const missing = missingForRules(hasCommand, isRoot());
      if (!hasCommand('busybox')) missing.push('busybox not installed (the backends are busybox httpd)');
      skipSuiteUnless(this, missing);
      await lab.start(String(index));
      await mode.foreign(lab.node);
      await start(desired([1, 2]));
    });
    after(async () => {
      proxy?.stop();
      await lab.stop();
    });

    it('spreads ClusterIP connections over both backends', async () => {
      const answers = await lab.get(lab.client, 'http://10.96.0.10/', 24);
      assert.deepEqual(bodies(answers), new Set(['pod-1', 'pod-2']));
      assert.deepEqual(
        bodies(await lab.get(lab.node, 'http://10.96.0.10/', 24)),
        new Set(['pod-1', 'pod-2']),
      );
    });

    it('answers on the NodePort from another namespace', async () => {
      const answers = await lab.get(lab.client, `http://${nodeIP}:30080/`, 24);
      assert.deepEqual(bodies(answers), new Set(['pod-1', 'pod-2']));
    });

    it('refuses connections to a Service without endpoints at once, from outside, the node and a pod', async () => {
      for (const from of [lab.client, lab.node, lab.pods[0]!]) {
        const answers = await lab.get(from, 'http://10.96.0.11/', 2);
        assert.deepEqual(bodies(answers), new Set(['failed: ECONNREFUSED']));
      }
    });

    it('lets a backend reach itself through its own Service (hairpin)', async () => {
      const answers = await lab.get(lab.pods[0]!, 'http://10.96.0.10/', 24);
      assert.deepEqual(bodies(answers), new Set(['pod-1', 'pod-2']));
    });

    it('keeps a ClientIP-affine client on one backend', async () => {
      const answers = await lab.get(lab.client, 'http://10.96.0.12/', 10);
      assert.equal(bodies(answers).size, 1, `answers: ${[...bodies(answers)].join(', ')}`);
    });

    it('sends nothing to a removed backend, sticky clients included, and leaves foreign rules alone', async () => {
      const stuckTo = [...bodies(await lab.get(lab.client, 'http://10.96.0.12/', 1))][0]!;
      const remaining = stuckTo === 'pod-1' ? 2 : 1;
      proxy!.setDesired(desired([1], [remaining]));
      await proxy!.flush();
      assert.deepEqual(bodies(await lab.get(lab.client, 'http://10.96.0.10/', 16)), new Set(['pod-1']));
      assert.deepEqual(
        bodies(await lab.get(lab.client, 'http://10.96.0.12/', 4)),
        new Set([`pod-${remaining}`]),
      );
      assert.ok(await mode.foreignStillThere(lab.node), 'the CNI stand-in rule is untouched');
    });

    it('after a restart, re-syncs the same rules in place: no failed connection meanwhile', async () => {
      const state = desired([2, 3]);
      proxy!.setDesired(state);
      await proxy!.flush();
      const loop = lab.loop(lab.client, 'http://10.96.0.10/');
      await eventually(() => loop.progress() >= 20);
      const syncStarted = Date.now();
      await start(state); // a new ServiceProxy and applier, as after an agent restart
      const syncEnded = Date.now();
      const seen = loop.progress();
      await eventually(() => loop.progress() >= seen + 20);
      const answers = await loop.stop();
      assert.deepEqual(
        answers.filter((a) => !a.ok),
        [],
      );
      assert.deepEqual(bodies(answers), new Set(['pod-2', 'pod-3']));
      assert.ok(
        answers.some((a) => a.at >= syncStarted && a.at <= syncEnded),
        'connections were made while the new proxy synced',
      );
      assert.ok(await mode.foreignStillThere(lab.node));
    });

    it('removes everything it installed with cleanup, and only that', async () => {
      proxy!.stop();
      const removed = await cleanupRules(lab.node.run, ['iptables', 'nftables']);
      assert.ok(removed.length > 0);
      for (const save of ['iptables-nft-save', 'iptables-legacy-save']) {
        const saved = (await lab.node.run([save])).stdout;
        assert.ok(!saved.includes('FLOTILLA'), `${save} still shows Flotilla rules:\n${saved}`);
      }
      assert.ok(!(await lab.node.run(['nft', 'list', 'tables'])).stdout.includes('flotilla'));
      assert.ok(await mode.foreignStillThere(lab.node));
      assert.deepEqual(
        await cleanupRules(lab.node.run, ['iptables', 'nftables']),
        [],
        'nothing left the second time',
      );
    });
  });
});
