import { parseArgs, type ParseArgsConfig } from 'node:util';

export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

export interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  cwd: string;
  isTTY: boolean;
  /** Aborted when the user presses Ctrl-C (long commands stop cleanly). */
  signal?: AbortSignal;
}

export class UsageError extends Error {}

/** What a command file exports: its help text and what it does. */
export interface CommandModule {
  /** The whole help: `go-debug-doctor help NAME` and `go-debug-doctor NAME --help`. */
  help: string;
  run(args: string[], io: Io): Promise<number> | number;
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** A command's options and, with `positionals`, its FILE or TEXT arguments; a mistake is a UsageError. */
export function parse<T extends Options>(args: string[], options: T, { positionals = false } = {}) {
  try {
    return parseArgs({
      args,
      options: { help: { type: 'boolean', short: 'h' }, ...options } as T & { help: { type: 'boolean'; short: 'h' } },
      strict: true,
      allowPositionals: positionals,
    });
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
}
