// Debian's mosquitto as a plant broker for tests: on a free loopback port, with a password file
// (users and passwords given), in a scratch directory; stopped by its pid.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { eventually } from './eventually.js';
import { freePort } from './free-port.js';
import { tempDir } from './hub-process.js';

export interface Mosquitto {
  port: number;
  url: string;
  stop(): Promise<void>;
}

export const mosquittoBin = '/usr/sbin/mosquitto';

export async function startMosquitto(users: Record<string, string>): Promise<Mosquitto> {
  const dir = tempDir('mosquitto');
  const port = await freePort();
  const passwords = join(dir, 'passwords');
  writeFileSync(passwords, '');
  for (const [user, password] of Object.entries(users))
    execFileSync('mosquitto_passwd', ['-b', passwords, user, password], { stdio: 'ignore' });
  const config = join(dir, 'mosquitto.conf');
  writeFileSync(
    config,
    [
      `listener ${port} 127.0.0.1`,
      'allow_anonymous false',
      `password_file ${passwords}`,
      'persistence false',
      // Started as root, mosquitto would switch to its own user, which cannot read this 0700 dir.
      ...(process.getuid?.() === 0 ? ['user root'] : []),
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn(mosquittoBin, ['-c', config], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const collect = (d: Buffer) => {
    out += d.toString();
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  await eventually(
    () =>
      new Promise<boolean>((resolve) => {
        const socket = createConnection(port, '127.0.0.1', () => {
          socket.end();
          resolve(true);
        });
        socket.on('error', () => resolve(false));
      }),
    { timeoutMs: 10_000 },
  ).catch((err) => {
    throw new Error(`mosquitto did not start: ${(err as Error).message}\n${out}`);
  });
  return {
    port,
    url: `mqtt://127.0.0.1:${port}`,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
