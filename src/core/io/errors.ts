/**
 * The errors a user's input earns: each is told in one line, never with a stack trace. They live
 * apart from the code that throws them so that whoever reports them loads nothing else.
 */

/** A problem with what the user gave us (a file that is a folder, a FIFO, too large, not UTF-8, nested beyond reason...). */
export class InputError extends Error {
  override readonly name = 'InputError';
}

/** A launch.json/tasks.json we will not touch, with where the problem is. */
export class JsoncFileError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`line ${line}, column ${column}: ${message}`);
  }
}
