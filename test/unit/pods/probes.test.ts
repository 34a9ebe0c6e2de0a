import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { type AddressInfo, createServer as createTcpServer } from 'node:net';
import { runProbe } from '../../../edge-agent/pods/probe-handlers.js';
import type { ExecResult } from '../../../edge-agent/runtime/container-runtime.js';
import { FakeRuntime } from '../../../edge-agent/runtime/fake-runtime.js';
import { aContainer, aPod, desiredState } from './pod-builders.js';
import { aHarness, type PodHarness } from './pod-harness.js';

const exit = (exitCode: number, stdout = ''): ExecResult => ({
  stdout: Buffer.from(stdout),
  stderr: Buffer.alloc(0),
  exitCode,
});

async function listen(
  server: Server | ReturnType<typeof createTcpServer>,
  host = '127.0.0.1',
): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return (server.address() as AddressInfo).port;
}

describe('probes', () => {
  describe('handlers', () => {
    const runtime = new FakeRuntime();
    const target = (port: number, extra = {}) => ({
      containerId: 'none',
      container: aContainer('app', { ports: [{ name: 'http', containerPort: port }] }),
      host: '127.0.0.1',
      ...extra,
    });
    let server: Server;
    let port: number;

    before(async () => {
      server = createServer((req, res) => {
        res.statusCode = req.url === '/healthz' ? 200 : req.url === '/moved' ? 302 : 500;
        res.end(req.headers['user-agent']);
      });
      port = await listen(server);
    });

    after(() => server.close());

    it('httpGet succeeds on 2xx and 3xx and fails on anything else, by number or port name', async () => {
      assert.deepEqual(await runProbe({ httpGet: { path: '/healthz', port } }, target(port), runtime), {
        success: true,
        output: '',
      });
      assert.equal(
        (await runProbe({ httpGet: { path: '/moved', port: 'http' } }, target(port), runtime)).success,
        true,
      );
      assert.deepEqual(await runProbe({ httpGet: { path: '/broken', port } }, target(port), runtime), {
        success: false,
        output: 'HTTP probe failed with statuscode: 500',
      });
    });

    it('httpGet fails on a refused connection and on a timeout', async () => {
      const closed = createTcpServer();
      const closedPort = await listen(closed);
      closed.close();
      const refused = await runProbe(
        { httpGet: { path: '/', port: closedPort } },
        target(closedPort),
        runtime,
      );
      assert.equal(refused.success, false);
      assert.match(
        refused.output,
        new RegExp(`^Get "http://127.0.0.1:${closedPort}/": connect ECONNREFUSED`),
      );
      const silent = createTcpServer(() => {});
      const silentPort = await listen(silent);
      const started = Date.now();
      const timedOut = await runProbe(
        { httpGet: { path: '/', port: silentPort }, timeoutSeconds: 1 },
        target(silentPort),
        runtime,
      );
      silent.close();
      assert.equal(timedOut.success, false);
      assert.ok(Date.now() - started < 2500);
    });

    it('tcpSocket succeeds when the port accepts a connection', async () => {
      assert.equal((await runProbe({ tcpSocket: { port } }, target(port), runtime)).success, true);
      const closed = createTcpServer();
      const closedPort = await listen(closed);
      closed.close();
      const refused = await runProbe({ tcpSocket: { port: closedPort } }, target(closedPort), runtime);
      assert.equal(refused.success, false);
      assert.match(refused.output, /^dial tcp 127.0.0.1:\d+: connect ECONNREFUSED/);
    });
  });

  describe('in a running pod', () => {
    let h: PodHarness;
    let healthy: boolean;
    let ready: boolean;

    beforeEach(async () => {
      healthy = true;
      ready = false;
      h = await aHarness({
        runtime: {
          exec: (_container, command) => {
            if (command[0] === 'ready') return exit(ready ? 0 : 1, 'not yet');
            return exit(healthy ? 0 : 1, 'unhealthy');
          },
        },
      });
    });

    afterEach(async () => {
      await h.cleanup();
    });

    it('drives Ready from the readiness probe, with its initial delay, period and thresholds', async () => {
      const probe = {
        exec: { command: ['ready'] },
        initialDelaySeconds: 5,
        periodSeconds: 10,
        successThreshold: 2,
        failureThreshold: 2,
      };
      h.setDesired(
        desiredState([aPod('web', { containers: [aContainer('app', { readinessProbe: probe })] })]),
      );
      await h.sync(3);
      const readyCondition = () => h.status('web').conditions?.find((c) => c.type === 'Ready');
      assert.equal(h.container('web').ready, false);
      assert.equal(readyCondition()?.message, 'containers with unready status: [app]');
      ready = true;
      h.clock.advance(5000);
      await h.sync(2);
      assert.equal(h.container('web').ready, false, 'one success of two');
      h.clock.advance(10_000);
      await h.sync(2);
      assert.equal(h.container('web').ready, true);
      assert.equal(readyCondition()?.status, 'True');
      assert.equal(readyCondition()?.lastTransitionTime, '2026-01-01T00:00:15Z');
      ready = false;
      h.clock.advance(10_000);
      await h.sync(2);
      assert.equal(h.container('web').ready, true, 'one failure of two');
      h.clock.advance(10_000);
      await h.sync(2);
      assert.equal(h.container('web').ready, false);
      assert.ok(
        h.events.some((e) => e.reason === 'Unhealthy' && e.message === 'Readiness probe failed: not yet'),
      );
      assert.equal((await h.runtimeContainers('app')).length, 1, 'readiness never restarts');
    });

    it('restarts a container whose liveness probe fails failureThreshold times', async () => {
      const probe = { exec: { command: ['live'] }, periodSeconds: 10, failureThreshold: 3 };
      h.setDesired(
        desiredState([aPod('web', { containers: [aContainer('app', { livenessProbe: probe })] })]),
      );
      await h.sync(3);
      const first = await h.running('app');
      healthy = false;
      for (let i = 0; i < 2; i++) {
        h.clock.advance(10_000);
        await h.sync(2);
      }
      assert.equal((await h.running('app')).id, first.id);
      h.clock.advance(10_000);
      await h.sync(4);
      const second = await h.running('app');
      assert.notEqual(second.id, first.id);
      assert.equal(h.container('web').restartCount, 1);
      assert.equal(h.container('web').lastState.terminated.exitCode, 137);
      const killing = h.events.find((e) => e.reason === 'Killing');
      assert.equal(killing?.message, 'Container app failed liveness probe, will be restarted');
      const unhealthy = h.events.filter((e) => e.reason === 'Unhealthy').map((e) => e.message);
      assert.deepEqual(unhealthy.slice(0, 3), Array(3).fill('Liveness probe failed: unhealthy'));
      const order = h.events.map((e) => e.reason).filter((r) => r === 'Unhealthy' || r === 'Killing');
      assert.deepEqual(order.slice(0, 4), ['Unhealthy', 'Unhealthy', 'Unhealthy', 'Killing']);
    });

    it('holds liveness and readiness back until the startup probe succeeds', async () => {
      const container = aContainer('app', {
        startupProbe: { exec: { command: ['ready'] }, periodSeconds: 1, failureThreshold: 30 },
        livenessProbe: { exec: { command: ['live'] }, periodSeconds: 1, failureThreshold: 1 },
      });
      healthy = false;
      h.setDesired(desiredState([aPod('web', { containers: [container] })]));
      await h.sync(3);
      h.clock.advance(1000);
      await h.sync(2);
      assert.equal(h.container('web').started, false);
      assert.equal(h.container('web').ready, false);
      assert.equal((await h.runtimeContainers('app')).length, 1, 'liveness did not run');
      ready = true;
      healthy = true;
      h.clock.advance(1000);
      await h.sync(2);
      assert.equal(h.container('web').started, true);
      assert.equal(h.container('web').ready, true);
    });

    it('answers httpGet and tcpSocket of fake pods in memory: declared ports accept, others refuse, nothing is dialled', async () => {
      // Servers at the addresses the fake hands out: a dialled probe would reach one of them.
      let hits = 0;
      const answer = (_req: unknown, res: { end(body: string): void }) => {
        hits++;
        res.end('ok');
      };
      const server = createServer(answer);
      const port = await listen(server, '127.0.0.2');
      const second = createServer(answer);
      await new Promise<void>((resolve) => second.listen(port, '127.0.0.3', resolve));
      try {
        await h.cleanup();
        h = await aHarness({ runtime: { podCidr: '127.0.0.0/24' } });
        const listening = aContainer('app', {
          ports: [{ name: 'http', containerPort: 8080 }],
          readinessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 1 },
          livenessProbe: { tcpSocket: { port: 8080 }, periodSeconds: 1 },
        });
        const silent = aContainer('app', {
          readinessProbe: { httpGet: { path: '/', port }, periodSeconds: 1 },
        });
        h.setDesired(
          desiredState([aPod('web', { containers: [listening] }), aPod('quiet', { containers: [silent] })]),
        );
        await h.sync(4);
        // Probe results land between passes: a few more periods until both pods have one.
        const refused = () => h.events.some((e) => e.reason === 'Unhealthy' && e.message.includes(':'));
        for (let i = 0; i < 5 && !(h.container('web').ready && refused()); i++) {
          h.clock.advance(1000);
          await h.sync(2);
        }
        // The two pods start side by side: which of the first two addresses each gets may vary.
        assert.deepEqual([h.status('web').podIP, h.status('quiet').podIP].sort(), ['127.0.0.2', '127.0.0.3']);
        assert.equal(h.container('web').ready, true);
        assert.equal(h.container('quiet').ready, false);
        const ip = h.status('quiet').podIP;
        assert.ok(
          h.events.some(
            (e) =>
              e.reason === 'Unhealthy' &&
              e.message ===
                `Readiness probe failed: Get "http://${ip}:${port}/": dial tcp ${ip}:${port}: connect: connection refused`,
          ),
        );
        assert.equal(hits, 0, 'a probe of a fake pod went on the network');
      } finally {
        server.close();
        second.close();
      }
    });
  });
});
