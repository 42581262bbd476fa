import { readStreamBounded } from '../../core/io/read';
import { explainDelveOutput } from '../../core/knowledge/delveErrors';
import { describePtraceFindings, ptraceFindings } from '../../core/knowledge/ptraceHints';
import { LiveHost } from '../../core/probes/host';
import { EXIT, type Io } from '../common';

export const help = `go-debug-doctor explain [TEXT...]

Explains Delve's own error messages: paste what dlv printed (for example in the terminal of the
"Headless dlv" task, or a failed launch in the Debug Console) as arguments or on standard input.
For each message Go Debug Doctor knows, it prints the cause, the fix and the Delve source.

Options:
  --json   the matches as JSON

Exit codes: 0 at least one message explained, 1 none recognised, 2 usage error.
`;

/** Rows whose cause may be a ptrace restriction on Linux: the answer then names the setting that blocks it. */
const PTRACE_ROWS: Record<string, 'launch' | 'attach'> = {
  'fork-exec-not-permitted': 'launch',
  'attach-failed': 'attach',
  'attach-ptrace-scope': 'attach',
};

/** Far more than any error output worth pasting; an endless stream is refused at this size. */
export const MAX_EXPLAIN_INPUT = 4 * 1024 * 1024;

export async function run(
  args: string[],
  io: Io,
  stdin: () => Promise<string> = () => readStreamBounded(process.stdin, MAX_EXPLAIN_INPUT),
): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) return (io.stdout(help), EXIT.ok);
  const json = args.includes('--json');
  const words = args.filter((a) => a !== '--json');
  const text = words.length ? words.join(' ') : await stdin();
  const matches = explainDelveOutput(text);
  const ptraceRow = matches.find((m) => PTRACE_ROWS[m.id] && (m.id !== 'attach-failed' || /operation not permitted/.test(m.message)));
  const ptrace = ptraceRow ? await ptraceFindings(new LiveHost(), PTRACE_ROWS[ptraceRow.id]!) : [];
  if (json)
    io.stdout(JSON.stringify(ptrace.length ? matches.map((m) => (m === ptraceRow ? { ...m, ptrace } : m)) : matches, null, 2) + '\n');
  else if (!matches.length)
    io.stdout('No known Delve message in this text. Run `go-debug-doctor selftest` to see whether debugging works here.\n');
  else {
    for (const m of matches) {
      io.stdout(
        `${m.message}\n  cause: ${m.cause}\n  fix:   ${m.fix}\n${m.fixCommand ? `  run:   ${m.fixCommand}\n` : ''}  source: ${m.source} (${m.versions})\n`,
      );
      const here = m === ptraceRow ? describePtraceFindings(ptrace) : undefined;
      if (here)
        io.stdout(
          `${here
            .split('\n')
            .map((l) => `  ${l}`)
            .join('\n')}\n`,
        );
    }
  }
  return matches.length ? EXIT.ok : EXIT.failed;
}
