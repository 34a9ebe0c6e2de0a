import assert from 'node:assert/strict';
import { execParams } from '../../../../hub/apiserver/handlers/pod-streams.js';

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
