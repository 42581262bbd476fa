// The `go-debug-doctor` executable: wires this process to main(). Apart from main.ts so that the
// bundle's entry stays this small file whatever code splitting moves into shared chunks.
import { endQuietlyOnBrokenPipe } from './errors';
import { main } from './main';
import { printable } from '../core/output/terminal';

const interrupt = new AbortController();
process.once('SIGINT', () => interrupt.abort());
process.once('SIGTERM', () => interrupt.abort());
endQuietlyOnBrokenPipe(process.stdout, process.stderr);
void main(process.argv.slice(2), {
  signal: interrupt.signal,
  // Everything printed may carry text from tools and debug adapters: no control sequences but our colours.
  stdout: (s) => process.stdout.write(printable(s)),
  stderr: (s) => process.stderr.write(printable(s)),
  cwd: process.cwd(),
  isTTY: process.stdout.isTTY === true && !process.env.NO_COLOR,
}).then((code) => {
  process.exitCode = code;
});
