import type { Node } from 'jsonc-parser';
import { JsoncFileError } from '../io/errors';
import type { LintFinding } from './lintFinding';
import { parseJsonc } from './merge';

/** The file parsed, or one 'syntax' finding that says where it does not. */
export function parseOrReport(text: string, file: string, findings: LintFinding[]): Node | undefined {
  try {
    return parseJsonc(text);
  } catch (err) {
    if (!(err instanceof JsoncFileError)) throw err;
    findings.push({
      file,
      line: err.line,
      column: err.column,
      offset: 0,
      length: 0,
      severity: 'error',
      rule: 'syntax',
      message: err.message.replace(/^line \d+, column \d+: /, 'Not valid JSON with comments: '),
    });
    return undefined;
  }
}
