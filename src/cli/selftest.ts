import * as path from 'node:path';
import { Facts } from '../core/facts/facts';
import { LiveHost } from '../core/probes/host';
import { installedPinnedDlv } from '../core/install/installer';
import { goplsHandshake } from '../core/lsp/goplsHandshake';
import { goplsHandshakeCheck, selfTestInputs, formatSelfTest } from '../core/selftest/selfTestCheck';
import { runSelfTest, DEFAULT_TIMEOUTS } from '../core/selftest/selftest';
import { EXIT, parse, UsageError, type Io } from './common';

export const SELFTEST_HELP = `go-debug-doctor selftest [options]

Answers "can I actually debug here?": writes a small Go program (a struct, a map, a long string, a
second goroutine) into a temporary folder, builds it with the workspace's Go, starts
\`dlv dap --listen=127.0.0.1:0\` and drives a real debug session: breakpoint, goroutines, stack,
variables, continue to the end. Each step is timed; on failure it names the step, Delve's own
message, the cause and the fix. Nothing is left behind (processes, files), also on Ctrl-C.

Options:
  --workspace DIR   the folder whose go.mod/go.work decides the Go (default: the current folder)
  --dlv PATH        the dlv to test (default: the one the Go extension would run, or the pinned one)
  --go PATH         the go to build with (default: the one the Go extension would run)
  --backend NAME    a Delve backend: default, native, lldb or rr
  --keep            keep the temporary folder (program and binary) and print its path
  --no-gopls        skip the gopls handshake (by default gopls is started on the workspace,
                    initialized, and asked to shut down; its version and warnings are shown)
  --timeout S       seconds the build may take (default ${DEFAULT_TIMEOUTS.build / 1000})
  --json            the result as JSON

Exit codes: 0 the session worked, 1 it failed, 2 usage error.
`;

export async function selfTestCommand(args: string[], io: Io): Promise<number> {
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
  if (values.help) return (io.stdout(SELFTEST_HELP), EXIT.ok);
  const backend = values.backend as string | undefined;
  if (backend !== undefined && !['default', 'native', 'lldb', 'rr'].includes(backend)) throw new UsageError(`unknown backend "${backend}" (default, native, lldb, rr)`);
  let buildMs: number | undefined;
  if (values.timeout !== undefined) {
    buildMs = Number(values.timeout) * 1000;
    if (!Number.isFinite(buildMs) || buildMs < 1000 || buildMs > 3_600_000) throw new UsageError('--timeout takes seconds from 1 to 3600');
  }
  const host = new LiveHost();
  const workspace = path.resolve(io.cwd, (values.workspace as string | undefined) ?? '.');
  const chosen = (key: 'dlv' | 'go') => (typeof values[key] === 'string' ? path.resolve(io.cwd, values[key]) : undefined);
  const dlvPath = chosen('dlv') ?? (await installedPinnedDlv(host));
  const goPath = chosen('go');
  const alternateTools = { ...(dlvPath ? { dlv: dlvPath } : {}), ...(goPath ? { go: goPath } : {}) };
  const facts = new Facts({ host, workspace, settings: { alternateTools } });
  const inputs = await selfTestInputs(facts);
  if ('missing' in inputs) {
    const fix = inputs.missing.startsWith('dlv') ? ' (install one: go-debug-doctor install-dlv --recommended)' : '';
    if (values.json) io.stdout(JSON.stringify({ outcome: 'fail', error: inputs.missing }, null, 2) + '\n');
    else io.stderr(`go-debug-doctor: cannot run the self-test: ${inputs.missing}${fix}\n`);
    return EXIT.failed;
  }
  const gopls = values['no-gopls'] ? undefined : (await facts.goplsLocation()).found?.path;
  const handshake = gopls ? goplsHandshake({ gopls, folder: workspace, ...(io.signal ? { signal: io.signal } : {}) }) : undefined;
  const result = await runSelfTest({
    ...inputs,
    ...(backend ? { backend } : {}),
    ...(values.keep ? { keep: true } : {}),
    ...(buildMs ? { timeouts: { build: buildMs } } : {}),
    ...(io.signal ? { signal: io.signal } : {}),
  });
  const goplsResult = await handshake;
  const goplsRow = goplsResult && gopls ? goplsHandshakeCheck(goplsResult, gopls) : undefined;
  if (values.json) io.stdout(JSON.stringify({ ...result, ...(goplsResult ? { gopls: goplsResult } : {}) }, null, 2) + '\n');
  else {
    io.stdout(formatSelfTest(result, io.isTTY));
    if (goplsRow) io.stdout(`gopls handshake: ${goplsRow.status.toUpperCase()}: ${goplsRow.summary}${goplsRow.detail ? `\n  ${goplsRow.detail}` : ''}\n`);
  }
  return result.outcome === 'pass' && goplsRow?.status !== 'fail' ? EXIT.ok : EXIT.failed;
}
