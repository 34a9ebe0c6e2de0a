import assert from 'node:assert/strict';
import { ApiError } from '../../../../api/errors.js';
import { attachParams, execParams } from '../../../../hub/apiserver/handlers/pod-streams.js';
import { portsParam } from '../../../../hub/apiserver/streaming/websocket-port-forward.js';

const q = (text: string) => new URLSearchParams(text);

describe('PodExecOptions from the query string', () => {
  it('reads the repeated command, the container and the stream flags as kubectl sends them', () => {
    assert.deepEqual(
      execParams(q('command=sh&command=-c&command=echo+hi&container=app&stdin=true&stdout=true&tty=true')),
      {
        command: ['sh', '-c', 'echo hi'],
        container: 'app',
        stdin: true,
        stdout: true,
        stderr: false,
        tty: true,
      },
    );
  });

  it("reads the flags as Go's ParseBool does, as the Python client writes them (stdin=False)", () => {
    const params = execParams(q('command=ls&stdin=False&stdout=True&stderr=F&tty=0'));
    assert.deepEqual(
      { stdin: params.stdin, stdout: params.stdout, stderr: params.stderr, tty: params.tty },
      { stdin: false, stdout: true, stderr: false, tty: false },
    );
    assert.equal(execParams(q('command=ls&stdout')).stdout, true, 'a bare flag is true');
  });

  it('refuses a request without a command or without any stream, like kube-apiserver', () => {
    assert.throws(() => execParams(q('stdout=true')), /you must specify at least 1 command/);
    assert.throws(
      () => execParams(q('command=ls')),
      /you must specify at least one of stdin, stdout, stderr/,
    );
    assert.throws(() => execParams(q('command=ls&stdout=maybe')), /stdout: Invalid value: "maybe"/);
  });

  it("takes client-go's timeout parameter as the command timeout, in whole seconds", () => {
    assert.equal(execParams(q('command=ls&stdout=1&timeout=1m30s')).timeoutSeconds, 90);
    assert.equal(execParams(q('command=ls&stdout=1&timeout=500ms')).timeoutSeconds, 1);
    assert.throws(() => execParams(q('command=ls&stdout=1&timeout=soon')), /timeout: Invalid value/);
  });
});

describe('port-forward ports parameter (WebSocket channel protocol)', () => {
  it('reads repeated and comma-separated ports in order', () => {
    assert.deepEqual(portsParam(new URLSearchParams('ports=8080,9090&ports=22')), [8080, 9090, 22]);
  });

  it('refuses a missing, out-of-range or malformed port with a 400 naming the parameter', () => {
    for (const [query, message] of [
      ['', 'query parameter "ports" is required'],
      ['ports=0', 'ports: Invalid value: "0": must be between 1 and 65535, inclusive'],
      ['ports=65536', 'ports: Invalid value: "65536": must be between 1 and 65535, inclusive'],
      ['ports=80x', 'ports: Invalid value: "80x": must be between 1 and 65535, inclusive'],
    ]) {
      assert.throws(
        () => portsParam(new URLSearchParams(query)),
        (err: unknown) => err instanceof ApiError && err.code === 400 && err.message === message,
        query,
      );
    }
  });
});

describe('PodAttachOptions from the query string', () => {
  it('reads the container and the stream flags; a terminal merges stderr', () => {
    assert.deepEqual(attachParams(q('container=main&stdin=true&stdout=true&stderr=true&tty=true')), {
      container: 'main',
      stdin: true,
      stdout: true,
      stderr: false,
      tty: true,
    });
  });

  it('needs at least one stream', () => {
    assert.throws(
      () => attachParams(q('tty=true')),
      /you must specify at least one of stdin, stdout, stderr/,
    );
  });
});
