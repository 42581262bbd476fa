import * as path from 'node:path';
import { LiveHost } from '../../core/probes/host';
import { debugSelfTest } from '../../core/selftest/debugSelfTest';
import { formatSelfTest } from '../../core/selftest/selfTestCheck';
import { DEFAULT_TIMEOUTS } from '../../core/selftest/selftest';
import { BACKENDS, parseBackend } from '../../core/session/options';
import { Session, withPinnedDlv } from '../../core/session/session';
import { EXIT, parse, UsageError, type Io } from '../common';

export const help = `go-debug-doctor selftest [options]

Answers "can I actually debug here?": writes a small Go program (a struct, a map, a long string, a
second goroutine) into a temporary folder, builds it with the workspace's Go, starts
\`dlv dap --listen=127.0.0.1:0\` and drives a real debug session: breakpoint, goroutines, stack,
variables, continue to the end. Each step is timed; on failure it names the step, Delve's own
message, the cause and the fix. Nothing is left behind (processes, files), also on Ctrl-C.

Options:
  --workspace DIR   the folder whose go.mod/go.work decides the Go (default: the current folder)
  --dlv PATH        the dlv to test (default: the one the Go extension would run, or the pinned one)
  --go PATH         the go to build with (default: the one the Go extension would run)
  --backend NAME    a Delve backend: ${BACKENDS.slice(0, -1).join(', ')} or ${BACKENDS.at(-1)}
  --keep            keep the temporary folder (program and binary) and print its path
  --no-gopls        skip the gopls handshake (by default gopls is started on the workspace,
                    initialized, and asked to shut down; its version and warnings are shown)
  --timeout S       seconds the build may take (default ${DEFAULT_TIMEOUTS.build / 1000})
  --json            the result as JSON

Exit codes: 0 the session worked, 1 it failed, 2 usage error.
`;

export async function run(args: string[], io: Io): Promise<number> {
  const { values } = parse(args, {
    workspace: { type: 'string' },
    dlv: { type: 'string' },
    go: { type: 'string' },
    backend: { type: 'string' },
    keep: { type: 'boolean' },
    'no-gopls': { type: 'boolean' },
    timeout: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (values.help) return (io.stdout(help), EXIT.ok);
  const backend = parseBackend(values.backend as string | undefined);
  let buildMs: number | undefined;
  if (values.timeout !== undefined) {
    buildMs = Number(values.timeout) * 1000;
    if (!Number.isFinite(buildMs) || buildMs < 1000 || buildMs > 3_600_000) throw new UsageError('--timeout takes seconds from 1 to 3600');
  }
  const host = new LiveHost();
  const workspace = path.resolve(io.cwd, (values.workspace as string | undefined) ?? '.');
  const chosen = (key: 'dlv' | 'go') => (typeof values[key] === 'string' ? path.resolve(io.cwd, values[key]) : undefined);
  const goPath = chosen('go');
  const init = await withPinnedDlv(
    host,
    { workspace, ...(goPath ? { settings: { alternateTools: { go: goPath } } } : {}), ...(backend ? { backend } : {}) },
    chosen('dlv'),
  );
  const outcome = await debugSelfTest(new Session(host, init), {
    gopls: !values['no-gopls'],
    ...(values.keep ? { keep: true } : {}),
    ...(buildMs ? { timeouts: { build: buildMs } } : {}),
    ...(io.signal ? { signal: io.signal } : {}),
  });
  if ('missing' in outcome) {
    const fix = outcome.missing.startsWith('dlv') ? ' (install one: go-debug-doctor install-dlv --recommended)' : '';
    if (values.json) io.stdout(JSON.stringify({ outcome: 'fail', error: outcome.missing }, null, 2) + '\n');
    else io.stderr(`go-debug-doctor: cannot run the self-test: ${outcome.missing}${fix}\n`);
    return EXIT.failed;
  }
  const { result, gopls } = outcome;
  const goplsRow = gopls?.row;
  if (values.json) io.stdout(JSON.stringify({ ...result, ...(gopls ? { gopls: gopls.result } : {}) }, null, 2) + '\n');
  else {
    io.stdout(formatSelfTest(result, io.isTTY));
    if (goplsRow)
      io.stdout(
        `gopls handshake: ${goplsRow.status.toUpperCase()}: ${goplsRow.summary}${goplsRow.detail ? `\n  ${goplsRow.detail}` : ''}\n`,
      );
  }
  return result.outcome === 'pass' && goplsRow?.status !== 'fail' ? EXIT.ok : EXIT.failed;
}
