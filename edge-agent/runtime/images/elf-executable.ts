// A minimal static ELF executable (System V gABI): the file header, a PT_LOAD program header
// mapping the whole file read+execute, and a PT_GNU_STACK header asking for a non-executable
// stack. No sections: the kernel's loader reads only program headers. Little-endian only, the
// byte order of every gateway architecture Flotilla supports.

export interface ElfTarget {
  /** e_machine: EM_X86_64 62, EM_AARCH64 183, EM_ARM 40. */
  machine: number;
  elfClass: 32 | 64;
  elfFlags: number;
}

/** Where code is laid out after the headers: its bytes and its entry offset, both file-relative. */
export type LayOut = (headerSize: number) => { code: Buffer; entry: number };

const PT_LOAD = 1;
const PT_GNU_STACK = 0x6474e551;
const PF_X = 1;
const PF_W = 2;
const PF_R = 4;
const ET_EXEC = 2;

/** 64-bit programs load at 4 MiB, 32-bit ones at 64 KiB (above vm.mmap_min_addr). */
function baseAddress(elfClass: 32 | 64): number {
  return elfClass === 64 ? 0x400000 : 0x10000;
}

export function elfExecutable(target: ElfTarget, layOut: LayOut): Buffer {
  const wide = target.elfClass === 64;
  const ehsize = wide ? 64 : 52;
  const phentsize = wide ? 56 : 32;
  const headerSize = ehsize + 2 * phentsize;
  const { code, entry } = layOut(headerSize);
  const file = Buffer.alloc(headerSize + code.length);
  code.copy(file, headerSize);
  const base = baseAddress(target.elfClass);
  const addr = (at: number, value: number) =>
    wide ? file.writeBigUInt64LE(BigInt(value), at) : file.writeUInt32LE(value, at);
  const word = wide ? 8 : 4;

  // e_ident: magic, class, little-endian, version 1, System V ABI.
  file.set([0x7f, 0x45, 0x4c, 0x46, wide ? 2 : 1, 1, 1, 0]);
  file.writeUInt16LE(ET_EXEC, 16);
  file.writeUInt16LE(target.machine, 18);
  file.writeUInt32LE(1, 20); // e_version
  addr(24, base + entry); // e_entry
  addr(24 + word, ehsize); // e_phoff
  addr(24 + 2 * word, 0); // e_shoff
  const at = 24 + 3 * word;
  file.writeUInt32LE(target.elfFlags, at);
  file.writeUInt16LE(ehsize, at + 4);
  file.writeUInt16LE(phentsize, at + 6);
  file.writeUInt16LE(2, at + 8); // e_phnum
  file.writeUInt16LE(wide ? 64 : 40, at + 10); // e_shentsize; e_shnum and e_shstrndx stay 0

  const segment = (offset: number, type: number, flags: number, size: number, align: number) => {
    file.writeUInt32LE(type, offset);
    // Elf64_Phdr puts p_flags second; Elf32_Phdr puts it after p_memsz.
    if (wide) file.writeUInt32LE(flags, offset + 4);
    let field = offset + (wide ? 8 : 4);
    for (const value of [0, size ? base : 0, size ? base : 0, size, size, ...(wide ? [align] : [])]) {
      addr(field, value);
      field += word;
    }
    if (!wide) {
      file.writeUInt32LE(flags, field);
      file.writeUInt32LE(align, field + 4);
    }
  };
  segment(ehsize, PT_LOAD, PF_R | PF_X, file.length, 0x1000);
  segment(ehsize + phentsize, PT_GNU_STACK, PF_R | PF_W, 0, 16);
  return file;
}
