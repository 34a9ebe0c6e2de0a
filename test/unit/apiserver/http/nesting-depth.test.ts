import assert from 'node:assert/strict';
import {
  checkJsonTextDepth,
  checkValueDepth,
  checkYamlTextDepth,
  maxNestingDepth,
} from '../../../../hub/apiserver/http/nesting-depth.js';

const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
const deepValue = (depth: number): unknown => {
  let value: unknown = 'leaf';
  for (let i = 0; i < depth; i++) value = { x: value };
  return value;
};

describe('nesting depth of request bodies', () => {
  it('allows JSON nested exactly to the limit and refuses one level more with a 400', () => {
    assert.equal(maxNestingDepth, 64);
    checkJsonTextDepth(nested(64));
    assert.throws(() => checkJsonTextDepth(nested(65)), {
      reason: 'BadRequest',
      message: /not valid JSON: exceeded max depth: objects and arrays may nest at most 64 levels/,
    });
  });

  it('does not count brackets inside JSON strings, escaped quotes included', () => {
    checkJsonTextDepth(JSON.stringify({ a: '['.repeat(500), b: `\\"${'{'.repeat(500)}` }));
  });

  it('bounds decoded values (YAML, protobuf) without recursing', () => {
    checkValueDepth(deepValue(64), 'YAML');
    assert.throws(() => checkValueDepth(deepValue(65), 'protobuf'), { message: /not valid protobuf/ });
    assert.throws(() => checkValueDepth(deepValue(200_000), 'YAML'), { reason: 'BadRequest' });
  });

  it('refuses YAML whose brackets nest past any real document before it is parsed', () => {
    checkYamlTextDepth(`data:\n  a: |\n    ${nested(200)}\n`);
    assert.throws(() => checkYamlTextDepth(`x: ${nested(5000)}`), { message: /not valid YAML/ });
  });
});
