// The agent's own pause program: the process that holds a pod sandbox's namespaces, written out as
// a static Linux executable for amd64, arm64 and armv7 by the agent itself, so a gateway with no
// registry, no compiler and nothing else installed still gets a sandbox image (see
// builtin-pause-image.ts). It does what Kubernetes' pause does, with four system calls:
//
//   rt_sigprocmask(SIG_BLOCK, {INT, TERM, CHLD})      signals are taken, never handled: blocked
//   wait: sig = rt_sigtimedwait({INT, TERM, CHLD})    signals are queued even for a PID 1
//         CHLD → reap: while wait4(-1, WNOHANG) > 0    children reparented to it (shared PID ns)
//         INT, TERM → exit_group(0)
//         anything else (EINTR) → wait
//
// Blocking the signals and waiting for them needs no handler, so no signal frame, restorer or
// stack set-up: the program is position independent and touches no memory but its signal set.
// One program, three encoders: each architecture only says how to load a register, trap into
// the kernel, compare and branch. The file is an ELF with one read+execute segment.

import { elfExecutable } from './elf-executable.js';

export type PauseArch = 'amd64' | 'arm64' | 'arm';

const SIG_BLOCK = 0;
const SIGINT = 2;
const SIGTERM = 15;
const SIGCHLD = 17;
const WNOHANG = 1;
/** Bit n-1 for signal n; the kernel's sigset is 8 bytes on all three. */
const WAITED_SIGNALS = (1n << BigInt(SIGINT - 1)) | (1n << BigInt(SIGTERM - 1)) | (1n << BigInt(SIGCHLD - 1));
const SIGSET_SIZE = 8;

type Syscall = 'rt_sigprocmask' | 'rt_sigtimedwait' | 'wait4' | 'exit_group';

/** An instruction (or data) of known size whose bytes may depend on where labels are. */
interface Code {
  size: number;
  emit(at: number, label: (name: string) => number): number[];
}
/** A string in a program is a label: the offset of what follows it. */
type Item = Code | string;
type Arg = number | { label: string };

interface Encoder {
  machine: number;
  elfClass: 32 | 64;
  elfFlags: number;
  syscalls: Record<Syscall, number>;
  syscall(nr: number, args: Arg[]): Code[];
  /** Branch when the last system call's result equals `value`, or is greater than zero. */
  branchIfResult(test: 'equals' | 'positive', value: number, label: string): Code[];
  branch(label: string): Code;
}

function fixed(...bytes: number[]): Code {
  return { size: bytes.length, emit: () => bytes };
}

function le32(word: number): number[] {
  return [word & 0xff, (word >>> 8) & 0xff, (word >>> 16) & 0xff, (word >>> 24) & 0xff];
}

function word(emit: (at: number, label: (name: string) => number) => number): Code {
  return { size: 4, emit: (at, label) => le32(emit(at, label) >>> 0) };
}

function inRange(value: number, min: number, max: number, what: string): number {
  if (value < min || value > max) throw new Error(`pause program: ${what} ${value} out of range`);
  return value;
}

// x86-64: number in eax, arguments in rdi, rsi, rdx, r10; `syscall`; result in eax.
const amd64: Encoder = {
  machine: 62,
  elfClass: 64,
  elfFlags: 0,
  syscalls: { rt_sigprocmask: 14, rt_sigtimedwait: 128, wait4: 61, exit_group: 231 },
  syscall(nr, args) {
    const registers = [7, 6, 2, 10]; // rdi, rsi, rdx, r10
    const load = (reg: number, arg: Arg): Code => {
      const rex = reg >= 8 ? [0x41] : [];
      if (typeof arg === 'number') return fixed(...rex, 0xb8 + (reg & 7), ...le32(arg >>> 0)); // mov r32, imm32
      // lea r64, [rip + disp32]
      const head = [reg >= 8 ? 0x4c : 0x48, 0x8d, 0x05 | ((reg & 7) << 3)];
      return { size: 7, emit: (at, label) => [...head, ...le32(label(arg.label) - (at + 7))] };
    };
    return [
      fixed(0xb8, ...le32(nr)),
      ...args.map((arg, i) => load(registers[i] as number, arg)),
      fixed(0x0f, 0x05),
    ];
  },
  branchIfResult(test, value, label) {
    const opcode = test === 'equals' ? 0x74 : 0x7f; // je / jg rel8
    return [fixed(0x83, 0xf8, test === 'equals' ? value : 0), rel8(opcode, label)]; // cmp eax, imm8
  },
  branch: (label) => rel8(0xeb, label), // jmp rel8
};

function rel8(opcode: number, label: string): Code {
  return {
    size: 2,
    emit: (at, find) => [opcode, inRange(find(label) - (at + 2), -128, 127, 'rel8') & 0xff],
  };
}

// AArch64: number in x8, arguments in x0-x3; `svc #0`; result in x0.
const arm64: Encoder = {
  machine: 183,
  elfClass: 64,
  elfFlags: 0,
  syscalls: { rt_sigprocmask: 135, rt_sigtimedwait: 137, wait4: 260, exit_group: 94 },
  syscall(nr, args) {
    const load = (rd: number, arg: Arg): Code => {
      if (typeof arg !== 'number') {
        // adr xd, label
        return word((at, label) => {
          const offset = inRange(label(arg.label) - at, -(1 << 20), (1 << 20) - 1, 'adr offset');
          return 0x10000000 | ((offset & 3) << 29) | (((offset >> 2) & 0x7ffff) << 5) | rd;
        });
      }
      if (arg === -1) return word(() => 0x92800000 | rd); // movn xd, #0
      return word(() => 0xd2800000 | (inRange(arg, 0, 0xffff, 'movz') << 5) | rd); // movz xd, #imm
    };
    return [load(8, nr), ...args.map((arg, i) => load(i, arg)), word(() => 0xd4000001)]; // svc #0
  },
  branchIfResult(test, value, label) {
    const compared = test === 'equals' ? value : 0;
    const cond = test === 'equals' ? 0x0 : 0xc; // eq / gt
    return [
      word(() => 0x7100001f | (inRange(compared, 0, 0xfff, 'cmp') << 10)), // cmp w0, #imm
      word((at, find) => 0x54000000 | ((((find(label) - at) >> 2) & 0x7ffff) << 5) | cond), // b.cond
    ];
  },
  branch: (label) => word((at, find) => 0x14000000 | (((find(label) - at) >> 2) & 0x3ffffff)), // b
};

// 32-bit ARM (EABI, A32 instructions): number in r7, arguments in r0-r3; `svc #0`; result in r0.
// PC reads as the instruction's address + 8.
const AL = 0xe;
const arm: Encoder = {
  machine: 40,
  elfClass: 32,
  elfFlags: 0x05000000, // EF_ARM_EABI_VER5
  syscalls: { rt_sigprocmask: 175, rt_sigtimedwait: 177, wait4: 114, exit_group: 248 },
  syscall(nr, args) {
    const load = (rd: number, arg: Arg): Code => {
      if (typeof arg !== 'number') {
        // add/sub rd, pc, #offset (adr)
        return word((at, label) => {
          const offset = label(arg.label) - (at + 8);
          const op = offset >= 0 ? 0xe28f0000 : 0xe24f0000;
          return op | (rd << 12) | inRange(Math.abs(offset), 0, 255, 'adr offset');
        });
      }
      if (arg === -1) return word(() => 0xe3e00000 | (rd << 12)); // mvn rd, #0
      return word(() => 0xe3a00000 | (rd << 12) | inRange(arg, 0, 255, 'mov')); // mov rd, #imm8
    };
    return [load(7, nr), ...args.map((arg, i) => load(i, arg)), word(() => 0xef000000)]; // svc #0
  },
  branchIfResult(test, value, label) {
    const compared = test === 'equals' ? value : 0;
    return [
      word(() => 0xe3500000 | inRange(compared, 0, 255, 'cmp')), // cmp r0, #imm8
      armBranch(test === 'equals' ? 0x0 : 0xc, label), // beq / bgt
    ];
  },
  branch: (label) => armBranch(AL, label),
};

function armBranch(cond: number, label: string): Code {
  return word((at, find) => (cond << 28) | 0x0a000000 | (((find(label) - (at + 8)) >> 2) & 0xffffff));
}

const encoders: Record<PauseArch, Encoder> = { amd64, arm64, arm };

/** The program above, for one architecture; the signal set comes first, then the code. */
function program(e: Encoder): Item[] {
  const set = { label: 'signals' };
  const sigset: Code = {
    size: 8,
    emit: () => [...Array(8).keys()].map((i) => Number((WAITED_SIGNALS >> BigInt(8 * i)) & 0xffn)),
  };
  return [
    'signals',
    sigset,
    'start',
    ...e.syscall(e.syscalls.rt_sigprocmask, [SIG_BLOCK, set, 0, SIGSET_SIZE]),
    'wait',
    ...e.syscall(e.syscalls.rt_sigtimedwait, [set, 0, 0, SIGSET_SIZE]),
    ...e.branchIfResult('equals', SIGCHLD, 'reap'),
    ...e.branchIfResult('equals', SIGINT, 'stop'),
    ...e.branchIfResult('equals', SIGTERM, 'stop'),
    e.branch('wait'),
    'reap',
    ...e.syscall(e.syscalls.wait4, [-1, 0, WNOHANG, 0]),
    ...e.branchIfResult('positive', 0, 'reap'),
    e.branch('wait'),
    'stop',
    ...e.syscall(e.syscalls.exit_group, [0]),
  ];
}

/** Lays the items out from `origin` (a file offset), resolves labels and returns the bytes. */
function assemble(items: Item[], origin: number): { bytes: Buffer; labels: Map<string, number> } {
  const labels = new Map<string, number>();
  let offset = origin;
  for (const item of items) {
    if (typeof item === 'string') labels.set(item, offset);
    else offset += item.size;
  }
  const find = (name: string) => {
    const at = labels.get(name);
    if (at === undefined) throw new Error(`pause program: no label ${name}`);
    return at;
  };
  const bytes: number[] = [];
  for (const item of items) {
    if (typeof item === 'string') continue;
    const emitted = item.emit(origin + bytes.length, find);
    if (emitted.length !== item.size) throw new Error('pause program: an instruction changed size');
    bytes.push(...emitted);
  }
  return { bytes: Buffer.from(bytes), labels };
}

/** The pause executable for `arch`: a static ELF of a few hundred bytes. */
export function pauseProgram(arch: PauseArch): Buffer {
  const encoder = encoders[arch];
  return elfExecutable(encoder, (headerSize) => {
    const { bytes, labels } = assemble(program(encoder), headerSize);
    return { code: bytes, entry: labels.get('start') as number };
  });
}
