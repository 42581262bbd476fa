import { promises as fs, constants as fsConstants } from 'node:fs';
import * as os from 'node:os';
import { openFileBytes, type ByteSource } from '../binary/bytes';
import { runProcess, type ProbeRecord, type RunOptions } from './process';

export interface FileFacts {
  exists: boolean;
  isFile?: boolean;
  isDirectory?: boolean;
  size?: number;
  executable?: boolean;
}

/**
 * Everything the doctor learns about a machine goes through a Host: processes it runs, files it
 * looks at, environment variables it reads. One seam, so a machine can be recorded and replayed.
 */
export interface Host {
  readonly platform: NodeJS.Platform;
  readonly arch: string;
  readonly homedir: string;
  readonly pathSeparator: string;
  env(name: string): string | undefined;
  run(argv: readonly string[], options?: RunOptions): Promise<ProbeRecord>;
  stat(path: string): Promise<FileFacts>;
  /** A text file's contents, or undefined when it is missing or unreadable. */
  readText(path: string, maxBytes?: number): Promise<string | undefined>;
  listDir(path: string): Promise<string[] | undefined>;
  /** The path with symbolic links resolved, or undefined when it does not exist. */
  realpath(path: string): Promise<string | undefined>;
  /** Random access to a binary's bytes (for the Mach-O/ELF reader); undefined when unreadable. */
  openBytes(path: string): Promise<ByteSource | undefined>;
}

export type ProbeListener = (probe: ProbeRecord) => void;

const MAX_TEXT_BYTES = 1024 * 1024;

/** The machine this process runs on. */
export class LiveHost implements Host {
  readonly platform = process.platform;
  readonly arch = process.arch;
  readonly homedir: string;
  readonly pathSeparator = process.platform === 'win32' ? ';' : ':';
  private readonly listeners: ProbeListener[] = [];

  constructor(private readonly environment: Readonly<Record<string, string | undefined>> = process.env) {
    this.homedir = (process.platform === 'win32' ? environment.USERPROFILE : environment.HOME) || os.homedir();
  }

  onProbe(listener: ProbeListener): void {
    this.listeners.push(listener);
  }

  env(name: string): string | undefined {
    return this.environment[name];
  }

  async run(argv: readonly string[], options: RunOptions = {}): Promise<ProbeRecord> {
    const env = { ...this.environment, ...options.envOverrides };
    for (const [key, value] of Object.entries(env)) if (value === undefined) delete env[key];
    const probe = await runProcess(argv, { ...options, env });
    for (const listener of this.listeners) listener(probe);
    return probe;
  }

  async stat(path: string): Promise<FileFacts> {
    try {
      const st = await fs.stat(path);
      const facts: FileFacts = { exists: true, isFile: st.isFile(), isDirectory: st.isDirectory(), size: st.size };
      if (st.isFile()) {
        facts.executable = await fs.access(path, fsConstants.X_OK).then(() => true, () => false);
      }
      return facts;
    } catch {
      return { exists: false };
    }
  }

  async readText(path: string, maxBytes = MAX_TEXT_BYTES): Promise<string | undefined> {
    let handle: fs.FileHandle | undefined;
    try {
      handle = await fs.open(path, 'r');
      const buffer = Buffer.alloc(maxBytes);
      const { bytesRead } = await handle.read(buffer, 0, maxBytes, 0);
      return buffer.subarray(0, bytesRead).toString('utf8');
    } catch {
      return undefined;
    } finally {
      await handle?.close();
    }
  }

  async listDir(path: string): Promise<string[] | undefined> {
    try {
      return await fs.readdir(path);
    } catch {
      return undefined;
    }
  }

  async realpath(path: string): Promise<string | undefined> {
    try {
      return await fs.realpath(path);
    } catch {
      return undefined;
    }
  }

  async openBytes(path: string): Promise<ByteSource | undefined> {
    try {
      return await openFileBytes(path);
    } catch {
      return undefined;
    }
  }
}

/** Passes everything through to another host; wrappers override what they watch. */
export class DelegatingHost implements Host {
  constructor(protected readonly inner: Host) {}
  get platform() { return this.inner.platform; }
  get arch() { return this.inner.arch; }
  get homedir() { return this.inner.homedir; }
  get pathSeparator() { return this.inner.pathSeparator; }
  env(name: string) { return this.inner.env(name); }
  run(argv: readonly string[], options?: RunOptions) { return this.inner.run(argv, options); }
  stat(path: string) { return this.inner.stat(path); }
  readText(path: string, maxBytes?: number) { return this.inner.readText(path, maxBytes); }
  listDir(path: string) { return this.inner.listDir(path); }
  realpath(path: string) { return this.inner.realpath(path); }
  openBytes(path: string) { return this.inner.openBytes(path); }
}

/** Keeps every probe the inner host ran, in order. */
export class ObservedHost extends DelegatingHost {
  readonly probes: ProbeRecord[] = [];
  override async run(argv: readonly string[], options?: RunOptions) {
    const probe = await this.inner.run(argv, options);
    this.probes.push(probe);
    return probe;
  }
}
