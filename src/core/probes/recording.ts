import * as path from 'node:path';
import { BinaryFormatError, type ByteSource } from '../binary/bytes';
import { DelegatingHost, type FileFacts, type Host } from './host';
import type { PipedProcess } from './pipedProcess';
import type { ProbeRecord } from './probeRecord';
import type { RunOptions } from './runProcess';
import { ServerStartError, type ServerHandle } from './server';

/** The file format of `check --record` / `--replay` (docs/recording.md). */
export interface Recording {
  format: 'go-debug-doctor-recording';
  version: 1;
  recordedAt?: string;
  /** Free text: where the outputs come from (a user's machine, a public report…). */
  provenance?: string;
  platform: NodeJS.Platform;
  arch: string;
  pathSeparator?: string;
  /** The workspace folder the doctor was run on (home shown as ~). */
  workspace?: string;
  /** Every environment variable the doctor read; null: not set. */
  env: Record<string, string | null>;
  probes: RecordedProbe[];
  files: Record<string, RecordedFile>;
}

export interface RecordedProbe {
  argv: string[];
  stdout: string;
  stderr: string;
  exitCode: number | null;
  outcome?: ProbeRecord['outcome'];
  /** Where this output was seen, when it comes from a public source. */
  provenance?: string;
}

export interface RecordedFile extends FileFacts {
  realpath?: string;
  text?: string;
  entries?: string[];
  /** Byte ranges of a binary that the reader looked at. */
  chunks?: Array<{ offset: number; base64: string }>;
}

const HOME = '~';

/** The home folder shown as ~, where it stands as a whole path component (not inside /rootfs). */
export function redactHome(text: string, home: string): string {
  if (!home || home === '/' || home === HOME) return text;
  const escaped = home.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return text.replace(new RegExp(`(?<![\\w.-])${escaped}(?=[/\\\\]|$|[^\\w.-])`, 'g'), HOME);
}

/** Wraps a live host and writes down everything it is asked, with the home folder shown as ~. */
export class RecordingHost extends DelegatingHost {
  private readonly recording: Recording;
  constructor(inner: Host) {
    super(inner);
    this.recording = {
      format: 'go-debug-doctor-recording',
      version: 1,
      recordedAt: new Date().toISOString(),
      platform: inner.platform,
      arch: inner.arch,
      pathSeparator: inner.pathSeparator,
      env: {},
      probes: [],
      files: {},
    };
  }
  private redact(text: string): string {
    return redactHome(text, this.inner.homedir);
  }

  private file(p: string): RecordedFile {
    const key = this.redact(p);
    return (this.recording.files[key] ??= { exists: false });
  }

  override env(name: string) {
    const value = this.inner.env(name);
    this.recording.env[name] = value === undefined ? null : this.redact(value);
    return value;
  }

  override async run(argv: readonly string[], options?: RunOptions) {
    const probe = await this.inner.run(argv, options);
    this.recording.probes.push({
      argv: argv.map((a) => this.redact(a)),
      stdout: this.redact(probe.stdout),
      stderr: this.redact(probe.stderr),
      exitCode: probe.exitCode,
      outcome: probe.outcome,
    });
    return probe;
  }

  override async stat(p: string) {
    const facts = await this.inner.stat(p);
    Object.assign(this.file(p), facts);
    return facts;
  }

  override async readText(p: string, maxBytes?: number) {
    const text = await this.inner.readText(p, maxBytes);
    const f = this.file(p);
    if (text !== undefined) Object.assign(f, { exists: true, isFile: true, text: this.redact(text) });
    return text;
  }

  override async listDir(p: string) {
    const entries = await this.inner.listDir(p);
    if (entries) Object.assign(this.file(p), { exists: true, isDirectory: true, entries });
    return entries;
  }

  override async realpath(p: string) {
    const real = await this.inner.realpath(p);
    if (real) Object.assign(this.file(p), { exists: true, realpath: this.redact(real) });
    return real;
  }

  override async openBytes(p: string): Promise<ByteSource | undefined> {
    const src = await this.inner.openBytes(p);
    if (!src) return undefined;
    const f = this.file(p);
    Object.assign(f, { exists: true, isFile: true, size: src.size });
    const chunks = (f.chunks ??= []);
    return {
      size: src.size,
      async read(offset, length) {
        const buf = await src.read(offset, length);
        chunks.push({ offset, base64: buf.toString('base64') });
        return buf;
      },
      close: () => src.close(),
    };
  }

  setWorkspace(workspace: string | undefined): void {
    if (workspace) this.recording.workspace = this.redact(workspace);
  }

  toJSON(): Recording {
    return this.recording;
  }
}

/**
 * A machine as recorded: every check runs against it on any OS. A probe is matched by its
 * arguments (the command itself by its base name); one not in the recording is "not found", as on
 * a machine without that command.
 */
export class ReplayHost implements Host {
  readonly platform: NodeJS.Platform;
  readonly arch: string;
  readonly homedir = HOME;
  readonly pathSeparator: string;
  private readonly used = new Set<RecordedProbe>();

  constructor(private readonly recording: Recording) {
    this.platform = recording.platform;
    this.arch = recording.arch;
    this.pathSeparator = recording.pathSeparator ?? (recording.platform === 'win32' ? ';' : ':');
  }

  env(name: string) {
    return this.recording.env[name] ?? undefined;
  }

  async run(argv: readonly string[]): Promise<ProbeRecord> {
    const same = (p: RecordedProbe) =>
      p.argv.length === argv.length &&
      path.basename(p.argv[0] ?? '') === path.basename(argv[0] ?? '') &&
      p.argv.every((a, i) => i === 0 || a === argv[i]);
    const probe =
      this.recording.probes.find((p) => same(p) && !this.used.has(p)) ??
      this.recording.probes.find(same) ??
      this.recording.probes.find((p) => answersGoEnv(p.argv, argv));
    if (!probe) {
      return {
        argv: [...argv],
        outcome: 'not-found',
        exitCode: null,
        stdout: '',
        stderr: '',
        error: `${argv[0]}: not found (not in the recording)`,
        durationMs: 0,
      };
    }
    this.used.add(probe);
    const outcome = probe.outcome ?? (probe.exitCode === 0 ? 'ok' : probe.exitCode === null ? 'error' : 'exit');
    return { argv: [...argv], outcome, exitCode: probe.exitCode, stdout: probe.stdout, stderr: probe.stderr, durationMs: 0 };
  }

  private file(p: string): RecordedFile | undefined {
    return this.recording.files[p];
  }

  async stat(p: string): Promise<FileFacts> {
    const f = this.file(p);
    if (!f?.exists) return { exists: false };
    const { exists, isFile, isDirectory, size, executable } = f;
    return {
      exists,
      ...(isFile !== undefined ? { isFile } : {}),
      ...(isDirectory !== undefined ? { isDirectory } : {}),
      ...(size !== undefined ? { size } : {}),
      ...(executable !== undefined ? { executable } : {}),
    };
  }

  async readText(p: string) {
    return this.file(p)?.text;
  }

  async listDir(p: string) {
    return this.file(p)?.entries;
  }

  async realpath(p: string) {
    const f = this.file(p);
    return f?.exists ? (f.realpath ?? p) : undefined;
  }

  async openBytes(p: string): Promise<ByteSource | undefined> {
    const f = this.file(p);
    if (!f?.exists || !f.chunks) return undefined;
    const chunks = f.chunks.map((c) => ({ offset: c.offset, bytes: Buffer.from(c.base64, 'base64') }));
    return {
      size: f.size ?? 0,
      async read(offset, length) {
        for (const c of chunks) {
          if (offset >= c.offset && offset + length <= c.offset + c.bytes.length)
            return c.bytes.subarray(offset - c.offset, offset - c.offset + length);
        }
        throw new BinaryFormatError(`bytes ${offset}..${offset + length} of ${p} are not in the recording`);
      },
      async close() {},
    };
  }

  startServer(argv: readonly string[]): Promise<ServerHandle> {
    return notReplayable(argv);
  }

  startPiped(argv: readonly string[]): Promise<PipedProcess> {
    return notReplayable(argv);
  }
}

/** A recording holds what short commands printed; a long-running process cannot be replayed. */
function notReplayable(argv: readonly string[]): Promise<never> {
  return Promise.reject(new ServerStartError(`${argv[0] ?? ''}: a recording cannot start a long-running process`, '', 'not-found'));
}

export function parseRecording(text: string): Recording {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new Error(`not JSON: ${(err as Error).message}`, { cause: err });
  }
  const r = value as Partial<Recording>;
  if (r?.format !== 'go-debug-doctor-recording' || r.version !== 1) throw new Error('not a go-debug-doctor recording (format/version)');
  if (
    typeof r.platform !== 'string' ||
    typeof r.arch !== 'string' ||
    !Array.isArray(r.probes) ||
    typeof r.env !== 'object' ||
    typeof r.files !== 'object'
  ) {
    throw new Error('recording is missing platform, arch, env, probes or files');
  }
  if (r.env === null || Array.isArray(r.env)) throw new Error('recording env is not an object of variables');
  for (const [name, v] of Object.entries(r.env)) {
    if (v !== null && typeof v !== 'string') throw new Error(`recording env ${name} is neither a string nor null`);
  }
  if (r.files === null || Array.isArray(r.files)) throw new Error('recording files is not an object of paths');
  for (const [name, f] of Object.entries(r.files as Record<string, unknown>)) {
    const file = f as Partial<RecordedFile> | null;
    if (
      typeof file !== 'object' ||
      file === null ||
      (file.text !== undefined && typeof file.text !== 'string') ||
      (file.realpath !== undefined && typeof file.realpath !== 'string') ||
      (file.entries !== undefined && (!Array.isArray(file.entries) || file.entries.some((e) => typeof e !== 'string')))
    ) {
      throw new Error(`recording file ${name} is not a file record (text, entries and realpath must be text)`);
    }
  }
  for (const p of r.probes) {
    if (
      !Array.isArray(p.argv) ||
      p.argv.some((a) => typeof a !== 'string') ||
      typeof p.stdout !== 'string' ||
      typeof p.stderr !== 'string'
    ) {
      throw new Error('a probe in the recording has no argv/stdout/stderr');
    }
  }
  return r as Recording;
}

/**
 * A recorded `go env -json` (every variable: recordings made before the doctor asked by name)
 * answers `go env -json NAME...` of the same go, whose output is a part of it.
 */
function answersGoEnv(recorded: readonly string[], asked: readonly string[]): boolean {
  const isGoEnvJson = (argv: readonly string[]) =>
    path.basename(argv[0] ?? '') === path.basename(asked[0] ?? '') && argv[1] === 'env' && argv[2] === '-json';
  return recorded.length === 3 && isGoEnvJson(recorded) && asked.length > 3 && isGoEnvJson(asked);
}
