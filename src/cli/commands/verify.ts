import * as path from 'node:path';
import { LiveHost } from '../../core/probes/host';
import { Session, withPinnedDlv } from '../../core/session/session';
import { readGoSettings, verifyAndFix } from '../../core/verify/flow';
import { formatVerify } from '../../core/verify/format';
import { EXIT, parse, UsageError, type Io } from '../common';

export const help = `go-debug-doctor verify [options]

Runs YOUR debug configuration from .vscode/launch.json through Delve the way the Go extension would
(launch, test and exec through \`dlv dap\` on 127.0.0.1; mode "remote" by connecting to your server on
this machine) and says, per breakpoint, whether it binds and whether the program stops there. When
not: why (a symbolic link, -trimpath, another build root, a build tag or GOOS that leaves the file
out, an optimised or stripped binary) and the exact change of the configuration that fixes it.
Every process and file verify starts is removed afterwards; a server you started keeps running.

Options:
  --workspace DIR     the VS Code workspace folder (default: the current folder)
  --config NAME       the configuration (default: the first Go launch or remote configuration)
  --break FILE:LINE   a breakpoint (repeatable; FILE relative to the workspace); default: the first
                      statement of main, or of the first test in mode "test". The first --break file
                      also stands for the open editor in \${file} and \${fileDirname}.
  --fix               apply the fix to that configuration only (insert-only: comments and every other
                      byte kept), then verify again
  --dlv PATH          the dlv to run (default: the one the Go extension would run, or the pinned one)
  --go PATH           the go to use (default: the one the Go extension would run)
  --timeout S         seconds for the build and for reaching the breakpoint (default 120)
  --allow-programs    run a configuration that makes other programs run (buildFlags -toolexec or
                      -exec, env CC, dlvFlags --init or --log-dest…); without it verify names them
                      and stops
  --json              the result as JSON (docs/verify.md)

Exit codes: 0 every breakpoint binds and the first is hit (after --fix: once fixed), 1 not, 2 usage error.
`;

const MAX_LINE = 2_147_483_647;

export async function run(args: string[], io: Io): Promise<number> {
  const { values } = parse(args, {
    workspace: { type: 'string' },
    config: { type: 'string' },
    break: { type: 'string', multiple: true },
    fix: { type: 'boolean' },
    dlv: { type: 'string' },
    go: { type: 'string' },
    timeout: { type: 'string' },
    json: { type: 'boolean' },
    'allow-programs': { type: 'boolean' },
  });
  if (values.help) return (io.stdout(help), EXIT.ok);
  let timeoutMs: number | undefined;
  if (values.timeout !== undefined) {
    timeoutMs = Number(values.timeout) * 1000;
    if (!Number.isFinite(timeoutMs) || timeoutMs < 1000 || timeoutMs > 3_600_000)
      throw new UsageError('--timeout takes seconds from 1 to 3600');
  }
  const folder = path.resolve(io.cwd, (values.workspace as string | undefined) ?? '.');
  const breakpoints: { file: string; line: number }[] = [];
  for (const b of (values.break as string[] | undefined) ?? []) {
    const m = /^([^\n]+):(\d+)$/.exec(b);
    // Lines beyond int32 are refused: Delve cannot decode them and drops the connection.
    if (!m || Number(m[2]) < 1 || Number(m[2]) > MAX_LINE)
      throw new UsageError(`--break takes FILE:LINE (LINE from 1 to ${MAX_LINE}), got ${JSON.stringify(b)}`);
    const bp = { file: path.resolve(folder, m[1]!), line: Number(m[2]) };
    // The same place twice is one breakpoint (Delve refuses a second one there).
    if (!breakpoints.some((x) => x.file === bp.file && x.line === bp.line)) breakpoints.push(bp);
  }
  const host = new LiveHost();
  if (!(await host.stat(folder)).isDirectory) throw new UsageError(`--workspace ${folder}: not a folder`);
  for (const b of breakpoints) if (!(await host.stat(b.file)).isFile) throw new UsageError(`--break ${b.file}: no such file`);
  const chosen = (key: 'dlv' | 'go') => (typeof values[key] === 'string' ? path.resolve(io.cwd, values[key]) : undefined);
  const goPath = chosen('go');
  const session = new Session(
    host,
    await withPinnedDlv(host, { workspace: folder, ...(goPath ? { settings: { alternateTools: { go: goPath } } } : {}) }, chosen('dlv')),
  );
  const [go, dlv] = await Promise.all([session.facts.goLocation(), session.facts.dlvLocation()]);
  if (!go.found || !dlv.found) {
    const missing = !go.found ? 'go was not found' : 'dlv was not found (install one: go-debug-doctor install-dlv --recommended)';
    if (values.json) io.stdout(JSON.stringify({ outcome: 'fail', error: missing }, null, 2) + '\n');
    else io.stderr(`go-debug-doctor: cannot verify: ${missing}\n`);
    return EXIT.failed;
  }
  const settings = await readGoSettings(host, folder);
  const outcome = await verifyAndFix({
    host,
    folder,
    dlv: dlv.found.path,
    go: go.found.path,
    settings,
    ...(typeof values.config === 'string' ? { config: values.config } : {}),
    ...(breakpoints.length ? { breakpoints, activeFile: breakpoints[0]!.file } : {}),
    ...(timeoutMs ? { timeoutMs } : {}),
    ...(io.signal ? { signal: io.signal } : {}),
    fix: values.fix === true,
    allowPrograms: () => Promise.resolve(values['allow-programs'] === true),
    onStep:
      values.json || !io.isTTY
        ? undefined
        : (s) => io.stderr(`  ${s.ok ? '✓' : '✗'} ${s.id} ${s.durationMs} ms${s.detail ? `  ${s.detail.split('\n')[0]}` : ''}\n`),
  });
  if (outcome.usage) throw new UsageError(outcome.usage);
  const final = outcome.after ?? outcome.before;
  if (values.json)
    io.stdout(JSON.stringify({ ...final, ...(outcome.after ? { before: outcome.before, edit: outcome.edit } : {}) }, null, 2) + '\n');
  else io.stdout(formatVerify(outcome, io.isTTY));
  return final.outcome === 'pass' ? EXIT.ok : EXIT.failed;
}
