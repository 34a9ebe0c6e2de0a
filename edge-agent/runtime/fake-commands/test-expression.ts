// `test EXPRESSION` and `[ EXPRESSION ]` of the fake sh (POSIX test): one to four arguments,
// file tests on the container's filesystem, string and integer comparisons, and `!`.
import type { FakeStat } from './fake-filesystem.js';

type Stat = (path: string) => Promise<FakeStat | undefined>;

const INTEGER = {
  '-eq': (a: number, b: number) => a === b,
  '-ne': (a: number, b: number) => a !== b,
  '-lt': (a: number, b: number) => a < b,
  '-le': (a: number, b: number) => a <= b,
  '-gt': (a: number, b: number) => a > b,
  '-ge': (a: number, b: number) => a >= b,
};

/** 0 when the expression is true, 1 when false, 2 when it cannot be read. */
export async function testExpression(args: string[], stat: Stat): Promise<number> {
  if (args[0] === '!' && args.length > 1) {
    const inner = await testExpression(args.slice(1), stat);
    return inner === 2 ? 2 : 1 - inner;
  }
  const result = await evaluate(args, stat);
  return result === undefined ? 2 : result ? 0 : 1;
}

async function evaluate(args: string[], stat: Stat): Promise<boolean | undefined> {
  const [a = '', op = '', b = ''] = args;
  if (args.length === 0) return false;
  if (args.length === 1) return a !== '';
  if (args.length === 2) {
    switch (a) {
      case '-z':
        return op === '';
      case '-n':
        return op !== '';
      case '-e':
        return (await stat(op)) !== undefined;
      case '-f':
        return (await stat(op))?.kind === 'file';
      case '-d':
        return (await stat(op))?.kind === 'dir';
      case '-s':
        return ((await stat(op))?.size ?? 0) > 0;
      default:
        return undefined;
    }
  }
  if (args.length !== 3) return undefined;
  if (op === '=' || op === '==') return a === b;
  if (op === '!=') return a !== b;
  const compare = INTEGER[op as keyof typeof INTEGER];
  if (!compare || !/^-?\d+$/.test(a) || !/^-?\d+$/.test(b)) return undefined;
  return compare(Number(a), Number(b));
}
