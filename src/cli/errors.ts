import { InputError, JsoncFileError } from '../core/io/errors';
import { OptionError } from '../core/session/options';
import { EXIT, UsageError, type Io } from './common';

/**
 * The one place a command's failure becomes what the user sees. Expected failures (a wrong option,
 * a file that is a folder or a FIFO, nested too deep, changed meanwhile...) print one line and no
 * stack; only a real bug says "internal error" with its stack, so that it gets reported.
 */
export function reportError(err: unknown, io: Pick<Io, 'stderr'>): number {
  if (isBrokenPipe(err)) return EXIT.ok;
  if (err instanceof UsageError || err instanceof OptionError) {
    io.stderr(`go-debug-doctor: ${oneLine(err.message)}\nRun "go-debug-doctor help" for usage.\n`);
    return EXIT.usage;
  }
  if (err instanceof InputError) {
    io.stderr(`go-debug-doctor: ${oneLine(err.message)}\n`);
    return EXIT.failed;
  }
  if (err instanceof JsoncFileError) {
    io.stderr(`go-debug-doctor: not changing anything: ${oneLine(err.message)}\n`);
    return EXIT.failed;
  }
  io.stderr(`go-debug-doctor: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  return EXIT.failed;
}

/** Output piped into `head` that stops reading: not an error, the command just ends. */
export function isBrokenPipe(err: unknown): boolean {
  return (err as NodeJS.ErrnoException | undefined)?.code === 'EPIPE';
}

/**
 * Makes a closed stdout/stderr pipe end the process quietly with the exit code so far, instead of
 * an unhandled 'error' event and its stack trace.
 */
export function endQuietlyOnBrokenPipe(...streams: NodeJS.WritableStream[]): void {
  for (const stream of streams) {
    stream.on('error', (err: unknown) => {
      if (isBrokenPipe(err)) process.exit(process.exitCode ?? EXIT.ok);
      throw err;
    });
  }
}

function oneLine(text: string): string {
  return text.split('\n', 1)[0] ?? text;
}
