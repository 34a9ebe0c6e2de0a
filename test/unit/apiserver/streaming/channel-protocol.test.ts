import assert from 'node:assert/strict';
import {
  Channel,
  exitStatus,
  failureStatus,
  frame,
  negotiateProtocol,
  parseClientMessage,
  parseTerminalSize,
} from '../../../../hub/apiserver/streaming/channel-protocol.js';

describe('remotecommand channel protocol (WebSocket)', () => {
  it('prefers v5.channel.k8s.io, takes v4 when only it is offered, and nothing else', () => {
    assert.equal(negotiateProtocol('v4.channel.k8s.io, v5.channel.k8s.io'), 'v5.channel.k8s.io');
    assert.equal(negotiateProtocol(new Set(['v4.channel.k8s.io', 'channel.k8s.io'])), 'v4.channel.k8s.io');
    assert.equal(negotiateProtocol(['base64.channel.k8s.io']), undefined);
    assert.equal(negotiateProtocol(undefined), undefined);
  });

  it('prefixes every message with its channel byte', () => {
    assert.deepEqual([...frame(Channel.stdout, Buffer.from('hi'))], [1, 0x68, 0x69]);
    assert.deepEqual([...frame(Channel.error)], [3]);
  });

  it('reads stdin data, a resize and, in v5 only, the close signal for stdin', () => {
    assert.deepEqual(parseClientMessage(Buffer.from([0, 0x61]), 'v5.channel.k8s.io'), {
      kind: 'stdin',
      data: Buffer.from('a'),
    });
    const resize = Buffer.concat([Buffer.from([4]), Buffer.from('{"Width":80,"Height":24}')]);
    assert.deepEqual(parseClientMessage(resize, 'v4.channel.k8s.io'), {
      kind: 'resize',
      size: { width: 80, height: 24 },
    });
    assert.deepEqual(parseClientMessage(Buffer.from([255, 0]), 'v5.channel.k8s.io'), {
      kind: 'close',
      channel: 0,
    });
    assert.equal(parseClientMessage(Buffer.from([255, 0]), 'v4.channel.k8s.io').kind, 'ignored');
    assert.equal(parseClientMessage(Buffer.from([255, 0, 1]), 'v5.channel.k8s.io').kind, 'ignored');
    assert.equal(parseClientMessage(Buffer.from([1, 0x61]), 'v5.channel.k8s.io').kind, 'ignored');
    assert.equal(parseClientMessage(Buffer.alloc(0), 'v5.channel.k8s.io').kind, 'ignored');
  });

  it('refuses terminal sizes that are not two uint16 values', () => {
    assert.equal(parseTerminalSize(Buffer.from('{"Width":70000,"Height":24}')), undefined);
    assert.equal(parseTerminalSize(Buffer.from('{"width":80,"height":24}')), undefined);
    assert.equal(parseTerminalSize(Buffer.from('not json')), undefined);
  });

  it('answers Success for exit code 0 and NonZeroExitCode with an ExitCode cause otherwise', () => {
    assert.deepEqual(exitStatus(0), { metadata: {}, status: 'Success' });
    assert.deepEqual(exitStatus(3), {
      metadata: {},
      status: 'Failure',
      message: 'command terminated with non-zero exit code: exit status 3',
      reason: 'NonZeroExitCode',
      details: { causes: [{ reason: 'ExitCode', message: '3' }] },
    });
    assert.deepEqual(failureStatus('gateway gw went offline', 'ServiceUnavailable'), {
      metadata: {},
      status: 'Failure',
      message: 'gateway gw went offline',
      reason: 'ServiceUnavailable',
    });
  });
});
