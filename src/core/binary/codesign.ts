import { BinaryFormatError } from './bytes';

/**
 * Apple code signature (the LC_CODE_SIGNATURE blob). All fields are big-endian. Layout from
 * Apple's open-source headers (xnu osfmk/kern/cs_blobs.h): a SuperBlob indexes a CodeDirectory,
 * requirements, entitlements (XML and DER) and a CMS signature.
 */
export interface CodeSignature {
  identifier?: string;
  teamId?: string;
  /** CodeDirectory version, e.g. 0x20400. */
  version?: number;
  flags: number;
  adhoc: boolean;
  linkerSigned: boolean;
  /** Hardened runtime. */
  runtime: boolean;
  /** A CMS (certificate) signature is present: signed with a certificate, not ad hoc. */
  hasCms: boolean;
  entitlements: Record<string, unknown> | null;
  entitlementsFormat?: 'xml' | 'der';
}

const CSMAGIC_EMBEDDED_SIGNATURE = 0xfade0cc0;
const CSMAGIC_CODEDIRECTORY = 0xfade0c02;
const CSMAGIC_EMBEDDED_ENTITLEMENTS = 0xfade7171;
const CSMAGIC_EMBEDDED_DER_ENTITLEMENTS = 0xfade7172;
const CSMAGIC_BLOBWRAPPER = 0xfade0b01;
const CSSLOT_CODEDIRECTORY = 0;
const CSSLOT_ENTITLEMENTS = 5;
const CSSLOT_DER_ENTITLEMENTS = 7;
const CSSLOT_SIGNATURESLOT = 0x10000;
const CS_ADHOC = 0x2;
const CS_RUNTIME = 0x10000;
const CS_LINKER_SIGNED = 0x20000;

function cString(buf: Buffer, offset: number): string | undefined {
  if (offset <= 0 || offset >= buf.length) return undefined;
  const end = buf.indexOf(0, offset);
  return buf.toString('utf8', offset, end < 0 ? buf.length : end);
}

export function parseCodeSignature(blob: Buffer): CodeSignature {
  if (blob.length < 12 || blob.readUInt32BE(0) !== CSMAGIC_EMBEDDED_SIGNATURE) {
    throw new BinaryFormatError('LC_CODE_SIGNATURE does not point at an embedded signature');
  }
  const length = Math.min(blob.readUInt32BE(4), blob.length);
  const count = blob.readUInt32BE(8);
  if (12 + count * 8 > length) throw new BinaryFormatError('code signature index runs past its blob');
  const slots = new Map<number, Buffer>();
  for (let i = 0; i < count; i++) {
    const type = blob.readUInt32BE(12 + i * 8);
    const offset = blob.readUInt32BE(16 + i * 8);
    if (offset + 8 > length) throw new BinaryFormatError(`code signature slot ${type} lies outside the blob`);
    const size = blob.readUInt32BE(offset + 4);
    if (size < 8 || offset + size > length) throw new BinaryFormatError(`code signature slot ${type} has a bad length`);
    if (!slots.has(type)) slots.set(type, blob.subarray(offset, offset + size));
  }
  const cd = slots.get(CSSLOT_CODEDIRECTORY);
  const sig: CodeSignature = { flags: 0, adhoc: false, linkerSigned: false, runtime: false, hasCms: false, entitlements: null };
  if (cd) {
    if (cd.length < 44 || cd.readUInt32BE(0) !== CSMAGIC_CODEDIRECTORY) throw new BinaryFormatError('bad CodeDirectory');
    sig.version = cd.readUInt32BE(8);
    sig.flags = cd.readUInt32BE(12);
    const identifier = cString(cd, cd.readUInt32BE(20));
    if (identifier !== undefined) sig.identifier = identifier;
    if (sig.version >= 0x20200 && cd.length >= 52) {
      const team = cString(cd, cd.readUInt32BE(48));
      if (team) sig.teamId = team;
    }
  }
  sig.adhoc = (sig.flags & CS_ADHOC) !== 0;
  sig.linkerSigned = (sig.flags & CS_LINKER_SIGNED) !== 0;
  sig.runtime = (sig.flags & CS_RUNTIME) !== 0;
  const cms = slots.get(CSSLOT_SIGNATURESLOT);
  sig.hasCms = cms !== undefined && cms.readUInt32BE(0) === CSMAGIC_BLOBWRAPPER && cms.length > 8;
  const xml = slots.get(CSSLOT_ENTITLEMENTS);
  const der = slots.get(CSSLOT_DER_ENTITLEMENTS);
  if (xml && xml.readUInt32BE(0) === CSMAGIC_EMBEDDED_ENTITLEMENTS) {
    sig.entitlements = parsePlistDict(xml.toString('utf8', 8));
    sig.entitlementsFormat = 'xml';
  } else if (der && der.readUInt32BE(0) === CSMAGIC_EMBEDDED_DER_ENTITLEMENTS) {
    sig.entitlements = parseDerEntitlements(der.subarray(8));
    sig.entitlementsFormat = 'der';
  }
  return sig;
}

/** The top-level <dict> of an XML property list: booleans, strings, integers, arrays of those. */
export function parsePlistDict(xml: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const body = /<dict>([\s\S]*)<\/dict>/.exec(xml)?.[1] ?? '';
  const re =
    /<key>([^<]*)<\/key>\s*(<true\s*\/>|<false\s*\/>|<string>([^<]*)<\/string>|<integer>([^<]*)<\/integer>|<array>([\s\S]*?)<\/array>|<array\s*\/>)/g;
  for (let m = re.exec(body); m; m = re.exec(body)) {
    const key = unescapeXml(m[1]!);
    const v = m[2]!;
    if (v.startsWith('<true')) out[key] = true;
    else if (v.startsWith('<false')) out[key] = false;
    else if (m[3] !== undefined) out[key] = unescapeXml(m[3]);
    else if (m[4] !== undefined) out[key] = Number(m[4]);
    else out[key] = [...(m[5] ?? '').matchAll(/<string>([^<]*)<\/string>/g)].map((x) => unescapeXml(x[1]!));
  }
  return out;
}

function unescapeXml(s: string): string {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

interface Der {
  tag: number;
  value: Buffer;
  end: number;
}

function readDer(buf: Buffer, offset: number): Der {
  if (offset + 2 > buf.length) throw new BinaryFormatError('DER entitlements truncated');
  const tag = buf[offset]!;
  let len = buf[offset + 1]!;
  let start = offset + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4 || start + n > buf.length) throw new BinaryFormatError('bad DER length');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[start + i]!;
    start += n;
  }
  if (start + len > buf.length) throw new BinaryFormatError('DER value runs past its blob');
  return { tag, value: buf.subarray(start, start + len), end: start + len };
}

function derChildren(value: Buffer): Der[] {
  const out: Der[] = [];
  for (let off = 0; off < value.length;) {
    const d = readDer(value, off);
    out.push(d);
    off = d.end;
  }
  return out;
}

function derValue(d: Der): unknown {
  switch (d.tag) {
    case 0x01:
      return d.value[0] !== 0;
    case 0x0c:
      return d.value.toString('utf8');
    case 0x02:
      return d.value.length <= 6 ? d.value.readIntBE(0, Math.max(1, d.value.length)) : d.value.toString('hex');
    case 0x30:
      return derChildren(d.value).map(derValue);
    case 0xb0:
      return derDict(d.value);
    default:
      return null;
  }
}

function derDict(value: Buffer): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const pair of derChildren(value)) {
    const [k, v] = derChildren(pair.value);
    if (k?.tag === 0x0c && v) out[k.value.toString('utf8')] = derValue(v);
  }
  return out;
}

/** DER entitlements: [APPLICATION 16] { INTEGER version, [16] SET of { UTF8String key, value } }. */
export function parseDerEntitlements(buf: Buffer): Record<string, unknown> {
  const top = readDer(buf, 0);
  if (top.tag !== 0x70) throw new BinaryFormatError('DER entitlements: unexpected outer tag');
  const dict = derChildren(top.value).find((d) => d.tag === 0xb0);
  return dict ? derDict(dict.value) : {};
}
