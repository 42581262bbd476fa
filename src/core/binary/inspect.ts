import { parseGoVersionM, type GoBuildInfo } from '../facts/parsers';
import { BinaryFormatError, openFileBytes, readExactly, type ByteSource } from './bytes';
import { parseCodeSignature, type CodeSignature } from './codesign';

/** What `go-debug-doctor inspect` reports (documented in docs/inspect.md). */
export interface BinaryInfo {
  format: 'macho' | 'macho-fat' | 'elf';
  slices: SliceInfo[];
}

export interface SliceInfo {
  arch: string;
  /** null: no LC_CODE_SIGNATURE (unsigned). Always null for ELF. */
  signature: SignatureInfo | null;
  goBuildInfo: { goVersion: string; path?: string; module?: string; version?: string; tags?: string } | null;
  /** The LC_UUID load command (upper-case, dashed); null when absent (Go linkers before 1.24) and always for ELF. macOS 26 refuses to load a Mach-O without one. */
  uuid: string | null;
}

/** The documented shape: every field present, in a stable order. */
export interface SignatureInfo {
  identifier: string | null;
  teamId: string | null;
  adhoc: boolean;
  linkerSigned: boolean;
  runtime: boolean;
  /** Signed with a certificate (a CMS blob), as opposed to ad hoc. */
  hasCms: boolean;
  flags: number;
  entitlements: Record<string, unknown>;
  entitlementsFormat: 'xml' | 'der' | null;
}

function signatureInfo(sig: CodeSignature): SignatureInfo {
  return {
    identifier: sig.identifier ?? null,
    teamId: sig.teamId ?? null,
    adhoc: sig.adhoc,
    linkerSigned: sig.linkerSigned,
    runtime: sig.runtime,
    hasCms: sig.hasCms,
    flags: sig.flags,
    entitlements: sig.entitlements ?? {},
    entitlementsFormat: sig.entitlementsFormat ?? null,
  };
}

const CPU_ARCH_ABI64 = 0x01000000;
const CPU_TYPE_X86 = 7;
const CPU_TYPE_ARM = 12;
const CPU_TYPE_POWERPC = 18;

export function cpuName(cputype: number, cpusubtype: number): string {
  switch (cputype) {
    case CPU_TYPE_X86 | CPU_ARCH_ABI64:
      return 'x86_64';
    case CPU_TYPE_X86:
      return 'i386';
    case CPU_TYPE_ARM | CPU_ARCH_ABI64:
      return (cpusubtype & 0xff) === 2 ? 'arm64e' : 'arm64';
    case CPU_TYPE_ARM | 0x02000000:
      return 'arm64_32';
    case CPU_TYPE_ARM:
      return 'arm';
    case CPU_TYPE_POWERPC:
      return 'ppc';
    case CPU_TYPE_POWERPC | CPU_ARCH_ABI64:
      return 'ppc64';
    default:
      return `cputype ${cputype >>> 0}`;
  }
}

const MH_MAGIC = 0xfeedface;
const MH_MAGIC_64 = 0xfeedfacf;
const FAT_MAGIC = 0xcafebabe;
const FAT_MAGIC_64 = 0xcafebabf;
const LC_SEGMENT = 0x1;
const LC_SEGMENT_64 = 0x19;
const LC_CODE_SIGNATURE = 0x1d;
const LC_UUID = 0x1b;
const MAX_LOAD_COMMANDS_BYTES = 4 << 20;
const MAX_SIGNATURE_BYTES = 32 << 20;
const MAX_BUILDINFO_BYTES = 4 << 20;

interface Segment {
  vmaddr: bigint;
  vmsize: bigint;
  fileoff: number;
  filesize: number;
}

interface Section {
  name: string;
  addr: bigint;
  offset: number;
  size: number;
}

/** A view of one object inside the file (a fat slice starts at its own offset). */
class Slice {
  constructor(
    readonly src: ByteSource,
    readonly base: number,
    readonly size: number,
  ) {}
  read(offset: number, length: number, what: string): Promise<Buffer> {
    if (offset + length > this.size)
      throw new BinaryFormatError(`${what} (offset ${offset}, ${length} bytes) runs past its slice (${this.size} bytes)`);
    return readExactly(this.src, this.base + offset, length, what);
  }
}

export async function inspectFile(
  path: string,
  open: (path: string) => Promise<ByteSource | undefined> = openFileBytes,
): Promise<BinaryInfo> {
  const src = await open(path);
  if (!src) throw new BinaryFormatError('cannot be opened');
  try {
    return await inspectBytes(src);
  } finally {
    await src.close();
  }
}

export async function inspectBytes(src: ByteSource): Promise<BinaryInfo> {
  if (src.size < 4) throw new BinaryFormatError(`not a Mach-O or ELF file (only ${src.size} bytes)`);
  const head = await readExactly(src, 0, 4, 'magic');
  const be = head.readUInt32BE(0);
  const le = head.readUInt32LE(0);
  if (be === FAT_MAGIC || be === FAT_MAGIC_64) return { format: 'macho-fat', slices: await readFat(src, be === FAT_MAGIC_64) };
  if (le === MH_MAGIC_64 || le === MH_MAGIC) return { format: 'macho', slices: [await readMachO(new Slice(src, 0, src.size))] };
  if (be === MH_MAGIC_64 || be === MH_MAGIC) throw new BinaryFormatError('big-endian Mach-O (PowerPC) is not supported');
  if (head.toString('latin1') === '\x7fELF') return { format: 'elf', slices: [await readElf(src)] };
  throw new BinaryFormatError('not a Mach-O or ELF file');
}

async function readFat(src: ByteSource, is64: boolean): Promise<SliceInfo[]> {
  const n = (await readExactly(src, 4, 4, 'fat header')).readUInt32BE(0);
  // 0xcafebabe is also the magic of Java class files, whose next word is a version number.
  if (n === 0 || n > 64) throw new BinaryFormatError(`fat header claims ${n} architectures`);
  const entry = is64 ? 32 : 20;
  const table = await readExactly(src, 8, n * entry, 'fat architecture table');
  const slices: SliceInfo[] = [];
  for (let i = 0; i < n; i++) {
    const at = i * entry;
    const offset = is64 ? Number(table.readBigUInt64BE(at + 8)) : table.readUInt32BE(at + 8);
    const size = is64 ? Number(table.readBigUInt64BE(at + 16)) : table.readUInt32BE(at + 12);
    if (offset + size > src.size) throw new BinaryFormatError(`fat slice ${i} (offset ${offset}, ${size} bytes) runs past the file`);
    slices.push(await readMachO(new Slice(src, offset, size)));
  }
  return slices;
}

async function readMachO(slice: Slice): Promise<SliceInfo> {
  const magic = (await slice.read(0, 4, 'Mach-O magic')).readUInt32LE(0);
  if (magic !== MH_MAGIC_64 && magic !== MH_MAGIC) throw new BinaryFormatError('fat slice is not a little-endian Mach-O file');
  const is64 = magic === MH_MAGIC_64;
  const headerSize = is64 ? 32 : 28;
  const header = await slice.read(0, headerSize, 'Mach-O header');
  const cputype = header.readInt32LE(4);
  const cpusubtype = header.readInt32LE(8);
  const ncmds = header.readUInt32LE(16);
  const sizeofcmds = header.readUInt32LE(20);
  if (sizeofcmds > MAX_LOAD_COMMANDS_BYTES || ncmds > sizeofcmds / 8)
    throw new BinaryFormatError(`implausible load commands (${ncmds} in ${sizeofcmds} bytes)`);
  const cmds = await slice.read(headerSize, sizeofcmds, 'load commands');
  const segments: Segment[] = [];
  const sections: Section[] = [];
  let signature: { off: number; size: number } | undefined;
  let uuid: string | null = null;
  for (let i = 0, off = 0; i < ncmds; i++) {
    if (off + 8 > cmds.length) throw new BinaryFormatError(`load command ${i} runs past sizeofcmds`);
    const cmd = cmds.readUInt32LE(off);
    const cmdsize = cmds.readUInt32LE(off + 4);
    if (cmdsize < 8 || off + cmdsize > cmds.length) throw new BinaryFormatError(`load command ${i} has a bad size (${cmdsize})`);
    if (cmd === LC_SEGMENT_64 && cmdsize >= 72) {
      segments.push({
        vmaddr: cmds.readBigUInt64LE(off + 24),
        vmsize: cmds.readBigUInt64LE(off + 32),
        fileoff: Number(cmds.readBigUInt64LE(off + 40)),
        filesize: Number(cmds.readBigUInt64LE(off + 48)),
      });
      const nsects = cmds.readUInt32LE(off + 64);
      for (let s = 0; s < nsects && off + 72 + (s + 1) * 80 <= off + cmdsize; s++) {
        const at = off + 72 + s * 80;
        sections.push({
          name: fixedString(cmds, at, 16),
          addr: cmds.readBigUInt64LE(at + 32),
          size: Number(cmds.readBigUInt64LE(at + 40)),
          offset: cmds.readUInt32LE(at + 48),
        });
      }
    } else if (cmd === LC_SEGMENT && cmdsize >= 56) {
      segments.push({
        vmaddr: BigInt(cmds.readUInt32LE(off + 24)),
        vmsize: BigInt(cmds.readUInt32LE(off + 28)),
        fileoff: cmds.readUInt32LE(off + 32),
        filesize: cmds.readUInt32LE(off + 36),
      });
      const nsects = cmds.readUInt32LE(off + 48);
      for (let s = 0; s < nsects && off + 56 + (s + 1) * 68 <= off + cmdsize; s++) {
        const at = off + 56 + s * 68;
        sections.push({
          name: fixedString(cmds, at, 16),
          addr: BigInt(cmds.readUInt32LE(at + 32)),
          size: cmds.readUInt32LE(at + 36),
          offset: cmds.readUInt32LE(at + 40),
        });
      }
    } else if (cmd === LC_CODE_SIGNATURE && cmdsize >= 16) {
      signature = { off: cmds.readUInt32LE(off + 8), size: cmds.readUInt32LE(off + 12) };
    } else if (cmd === LC_UUID && cmdsize >= 24) {
      uuid = formatUuid(cmds.subarray(off + 8, off + 24));
    }
    off += cmdsize;
  }
  let sig: SignatureInfo | null = null;
  if (signature) {
    if (signature.size > MAX_SIGNATURE_BYTES) throw new BinaryFormatError(`code signature of ${signature.size} bytes is implausible`);
    sig = signatureInfo(parseCodeSignature(await slice.read(signature.off, signature.size, 'code signature')));
  }
  const section = sections.find((s) => s.name === '__go_buildinfo');
  const goBuildInfo = section ? await readGoBuildInfo(slice, section, segments) : null;
  return { arch: cpuName(cputype, cpusubtype), signature: sig, goBuildInfo, uuid };
}

function formatUuid(bytes: Buffer): string {
  const hex = bytes.toString('hex').toUpperCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function fixedString(buf: Buffer, at: number, len: number): string {
  const raw = buf.subarray(at, at + len);
  const nul = raw.indexOf(0);
  return raw.toString('latin1', 0, nul < 0 ? len : nul);
}

const ELF_MACHINE: Record<number, string> = {
  0x3e: 'x86_64',
  0xb7: 'arm64',
  3: 'i386',
  0x28: 'arm',
  0xf3: 'riscv64',
  0x15: 'ppc64',
  0x16: 's390x',
};

async function readElf(src: ByteSource): Promise<SliceInfo> {
  const ident = await readExactly(src, 0, 16, 'ELF ident');
  const is64 = ident[4] === 2;
  const littleEndian = ident[5] !== 2;
  const hdr = await readExactly(src, 0, is64 ? 64 : 52, 'ELF header');
  const u16 = (b: Buffer, o: number) => (littleEndian ? b.readUInt16LE(o) : b.readUInt16BE(o));
  const u32 = (b: Buffer, o: number) => (littleEndian ? b.readUInt32LE(o) : b.readUInt32BE(o));
  const u64 = (b: Buffer, o: number) => (littleEndian ? b.readBigUInt64LE(o) : b.readBigUInt64BE(o));
  const addr = (b: Buffer, o: number) => (is64 ? u64(b, o) : BigInt(u32(b, o)));
  const off = (b: Buffer, o: number) => Number(addr(b, o));
  const machine = u16(hdr, 18);
  const phoff = off(hdr, is64 ? 0x20 : 0x1c);
  const shoff = off(hdr, is64 ? 0x28 : 0x20);
  const phentsize = u16(hdr, is64 ? 0x36 : 0x2a);
  const phnum = u16(hdr, is64 ? 0x38 : 0x2c);
  const shentsize = u16(hdr, is64 ? 0x3a : 0x2e);
  const shnum = u16(hdr, is64 ? 0x3c : 0x30);
  const shstrndx = u16(hdr, is64 ? 0x3e : 0x32);
  const segments: Segment[] = [];
  if (phnum > 0 && phentsize >= (is64 ? 56 : 32)) {
    const ph = await readExactly(src, phoff, phnum * phentsize, 'ELF program headers');
    for (let i = 0; i < phnum; i++) {
      const at = i * phentsize;
      if (u32(ph, at) !== 1) continue; // PT_LOAD
      if (is64)
        segments.push({
          fileoff: Number(u64(ph, at + 8)),
          vmaddr: u64(ph, at + 16),
          filesize: Number(u64(ph, at + 32)),
          vmsize: u64(ph, at + 40),
        });
      else
        segments.push({
          fileoff: u32(ph, at + 4),
          vmaddr: BigInt(u32(ph, at + 8)),
          filesize: u32(ph, at + 16),
          vmsize: BigInt(u32(ph, at + 20)),
        });
    }
  }
  let goBuildInfo: SliceInfo['goBuildInfo'] = null;
  if (shnum > 0 && shnum < 65280 && shentsize >= (is64 ? 64 : 40) && shstrndx < shnum) {
    const sh = await readExactly(src, shoff, shnum * shentsize, 'ELF section headers');
    const field = (i: number) => {
      const at = i * shentsize;
      return {
        name: u32(sh, at),
        addr: addr(sh, at + (is64 ? 16 : 12)),
        offset: off(sh, at + (is64 ? 24 : 16)),
        size: off(sh, at + (is64 ? 32 : 20)),
      };
    };
    const strtab = field(shstrndx);
    const names = await readExactly(src, strtab.offset, Math.min(strtab.size, 1 << 20), 'ELF section names');
    for (let i = 0; i < shnum; i++) {
      const s = field(i);
      const end = names.indexOf(0, s.name);
      if (names.toString('latin1', s.name, end < 0 ? names.length : end) === '.go.buildinfo') {
        goBuildInfo = await readGoBuildInfo(
          new Slice(src, 0, src.size),
          { name: '.go.buildinfo', addr: s.addr, offset: s.offset, size: s.size },
          segments,
        );
        break;
      }
    }
  }
  return { arch: ELF_MACHINE[machine] ?? `machine ${machine}`, signature: null, goBuildInfo, uuid: null };
}

const BUILDINFO_MAGIC = Buffer.from('\xff Go buildinf:', 'latin1');

/**
 * Go's build information (what `go version -m` prints), from the buildinfo section. Go 1.18+
 * stores two length-prefixed strings after a 32-byte header; older releases store pointers to
 * Go string headers, resolved through the load segments.
 */
async function readGoBuildInfo(slice: Slice, section: Section, segments: Segment[]): Promise<SliceInfo['goBuildInfo']> {
  const data = await slice.read(section.offset, Math.min(section.size, MAX_BUILDINFO_BYTES), 'Go build info');
  if (data.length < 32 || !data.subarray(0, 14).equals(BUILDINFO_MAGIC)) return null;
  const ptrSize = data[14]!;
  const flags = data[15]!;
  const bigEndian = (flags & 1) !== 0;
  let version: string | undefined;
  let mod: string | undefined;
  if (flags & 2) {
    let at = 32;
    const next = () => {
      const [len, used] = uvarint(data, at);
      const start = at + used;
      if (len < 0 || start + len > data.length) throw new BinaryFormatError('Go build info string runs past its section');
      at = start + len;
      return data.toString('utf8', start, start + len);
    };
    version = next();
    mod = next();
  } else {
    if (ptrSize !== 4 && ptrSize !== 8) throw new BinaryFormatError(`Go build info: pointer size ${ptrSize}`);
    const ptr = (b: Buffer, o: number) =>
      ptrSize === 8 ? (bigEndian ? b.readBigUInt64BE(o) : b.readBigUInt64LE(o)) : BigInt(bigEndian ? b.readUInt32BE(o) : b.readUInt32LE(o));
    const readString = async (vaddr: bigint) => {
      const hdr = await readVirtual(slice, segments, vaddr, ptrSize * 2);
      const len = Number(ptr(hdr, ptrSize));
      if (len > MAX_BUILDINFO_BYTES) throw new BinaryFormatError('Go build info string too long');
      return (await readVirtual(slice, segments, ptr(hdr, 0), len)).toString('utf8');
    };
    version = await readString(ptr(data, 16));
    mod = await readString(ptr(data, 16 + ptrSize));
  }
  // The module information is framed by 16-byte sentinels.
  if (mod && mod.length >= 33 && mod[mod.length - 17] === '\n') mod = mod.slice(16, -16);
  else mod = '';
  const parsed: GoBuildInfo | undefined = parseGoVersionM(
    `binary: ${version}\n${mod
      .split('\n')
      .map((l) => `\t${l}`)
      .join('\n')}`,
  );
  if (!parsed) return null;
  return {
    goVersion: parsed.goVersionRaw,
    ...(parsed.path ? { path: parsed.path } : {}),
    ...(parsed.module ? { module: parsed.module } : {}),
    ...(parsed.moduleVersion ? { version: parsed.moduleVersion } : {}),
    ...(parsed.settings['-tags'] ? { tags: parsed.settings['-tags'] } : {}),
  };
}

async function readVirtual(slice: Slice, segments: Segment[], vaddr: bigint, length: number): Promise<Buffer> {
  const seg = segments.find((s) => vaddr >= s.vmaddr && vaddr + BigInt(length) <= s.vmaddr + BigInt(s.filesize));
  if (!seg) throw new BinaryFormatError(`address 0x${vaddr.toString(16)} is not in the file`);
  return slice.read(seg.fileoff + Number(vaddr - seg.vmaddr), length, 'Go build info string');
}

function uvarint(buf: Buffer, at: number): [number, number] {
  let x = 0;
  let shift = 0;
  for (let i = 0; i < 10 && at + i < buf.length; i++) {
    const b = buf[at + i]!;
    x += (b & 0x7f) * 2 ** shift;
    if (b < 0x80) return [x, i + 1];
    shift += 7;
  }
  throw new BinaryFormatError('bad varint in Go build info');
}
