import { readStreamBounded } from '../../core/io/read';
import { explainDelveOutput } from '../../core/knowledge/delveErrors';
import { EXIT, type Io } from '../common';

export const help = `go-debug-doctor explain [TEXT...]

Explains Delve's own error messages: paste what dlv printed (for example in the terminal of the
"Headless dlv" task, or a failed launch in the Debug Console) as arguments or on standard input.
For each message Go Debug Doctor knows, it prints the cause, the fix and the Delve source.

Options:
  --json   the matches as JSON

Exit codes: 0 at least one message explained, 1 none recognised, 2 usage error.
`;

/** Far more than any error output worth pasting; an endless stream is refused at this size. */
export const MAX_EXPLAIN_INPUT = 4 * 1024 * 1024;

export async function run(args: string[], io: Io, stdin: () => Promise<string> = () => readStreamBounded(process.stdin, MAX_EXPLAIN_INPUT)): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) return (io.stdout(help), EXIT.ok);
  const json = args.includes('--json');
  const words = args.filter((a) => a !== '--json');
  const text = words.length ? words.join(' ') : await stdin();
  const matches = explainDelveOutput(text);
  if (json) io.stdout(JSON.stringify(matches, null, 2) + '\n');
  else if (!matches.length) io.stdout('No known Delve message in this text. Run `go-debug-doctor selftest` to see whether debugging works here.\n');
  else {
    for (const m of matches) {
      io.stdout(`${m.message}\n  cause: ${m.cause}\n  fix:   ${m.fix}\n${m.fixCommand ? `  run:   ${m.fixCommand}\n` : ''}  source: ${m.source} (${m.versions})\n`);
    }
  }
  return matches.length ? EXIT.ok : EXIT.failed;
}
