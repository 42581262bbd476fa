import * as path from 'node:path';
import { LiveHost } from '../../core/probes/host';
import { parseBackend, PROFILE_IDS } from '../../core/session/options';
import { Session } from '../../core/session/session';
import { defaultInstallDir } from '../../core/install/folder';
import { installDlv, type InstallProgress } from '../../core/install/installer';
import type { DlvRequest } from '../../core/install/plan';
import { prepareDlvInstall } from '../../core/install/prepare';
import { EXIT, parse, UsageError, type Io } from '../common';

export const help = `go-debug-doctor install-dlv [options]

Builds a pinned dlv with \`go install\` into Go Debug Doctor's own folder, verifies it (version, the Go
that built it, CPU type) and only then moves it into place; the previous dlv is kept as dlv.previous
and is never lost to a failed or cancelled install. Your go.mod and GOPATH/bin are not touched.

Which version (one of):
  --recommended       the newest Delve that debugs the workspace's Go (the default)
  --version V         an explicit pin, e.g. v1.27.2; refused when it cannot debug the workspace's Go
  --profile NAME      the Delve of a profile: ${PROFILE_IDS.join(' or ')}

Options:
  --dir DIR           where to install (default: ${'$'}XDG_DATA_HOME/go-debug-doctor/bin, or
                      ~/Library/Application Support/go-debug-doctor/bin on macOS)
  --workspace DIR     the folder whose go.mod/go.work decides the Go to debug (default: current folder)
  --force             install a pin even when it cannot debug the workspace's Go
  --reinstall         rebuild even when that version is already installed
  --timeout SECONDS   limit for the whole build, toolchain download included (default 900)
  --backend NAME      the Delve backend your configuration uses (on macOS, native needs a source build)
  --json              print the result as JSON (progress still goes to stderr)

GOFLAGS, GOOS/GOARCH and the go env file's build settings are ignored for the build; GOPROXY,
GOPRIVATE, GONOSUMDB, GOINSECURE and GOSUMDB are kept. When the local Go is too old to build the
version, GOTOOLCHAIN fetches a Go that is new enough through the module proxy.

Exit codes: 0 installed (or already installed), 1 refused, failed or cancelled, 2 usage error.
`;

export async function run(args: string[], io: Io): Promise<number> {
  const { values } = parse(args, {
    recommended: { type: 'boolean' },
    version: { type: 'string' },
    profile: { type: 'string' },
    dir: { type: 'string' },
    workspace: { type: 'string' },
    force: { type: 'boolean' },
    reinstall: { type: 'boolean' },
    timeout: { type: 'string' },
    json: { type: 'boolean' },
    backend: { type: 'string' },
  });
  if (values.help) return (io.stdout(help), EXIT.ok);
  const chosen = [values.recommended, values.version, values.profile].filter((v) => v !== undefined);
  if (chosen.length > 1) throw new UsageError('choose one of --recommended, --version and --profile');
  const request: DlvRequest =
    typeof values.version === 'string'
      ? { kind: 'version', version: values.version }
      : typeof values.profile === 'string'
        ? { kind: 'profile', profile: values.profile }
        : { kind: 'recommended' };
  let timeoutMs: number | undefined;
  if (values.timeout !== undefined) {
    const seconds = Number(values.timeout);
    if (!Number.isInteger(seconds) || seconds < 10 || seconds > 7200) throw new UsageError('--timeout takes seconds from 10 to 7200');
    timeoutMs = seconds * 1000;
  }
  const host = new LiveHost();
  const workspace = path.resolve(io.cwd, (values.workspace as string | undefined) ?? '.');
  const dir = path.resolve(io.cwd, (values.dir as string | undefined) ?? defaultInstallDir(host));
  const backend = parseBackend(values.backend as string | undefined);
  const session = new Session(host, { workspace, ...(backend ? { backend } : {}) });
  const prepared = await prepareDlvInstall(session.facts, request, values.force === true);
  const json = values.json === true;
  if (!json)
    for (const f of prepared.findings)
      io.stderr(`${f.severity === 'fail' ? 'problem' : 'note'}: ${f.message}${f.fix ? `\n  fix: ${f.fix}` : ''}\n`);
  if (!prepared.ok) {
    if (json)
      io.stdout(
        JSON.stringify(
          {
            outcome: 'refused',
            reason: prepared.reason,
            ...(prepared.alternative ? { alternative: prepared.alternative } : {}),
            findings: prepared.findings,
          },
          null,
          2,
        ) + '\n',
      );
    else
      io.stderr(
        `go-debug-doctor: not installing: ${prepared.reason}\n${prepared.alternative ? `  instead: ${prepared.alternative}\n` : ''}`,
      );
    return EXIT.failed;
  }
  const { plan } = prepared;
  if (!json) {
    io.stderr(`Delve ${plan.version}: ${plan.why}. ${plan.toolchainNote}\n`);
    for (const w of plan.warnings) io.stderr(`warning: ${w}\n`);
  }
  let last = '';
  const onProgress = (p: InstallProgress) => {
    const line = `[${(p.elapsedMs / 1000).toFixed(1)}s] ${p.phase}: ${p.message}`;
    // Downloading and building send one event per module or package: show phase changes and every 25th.
    const count = /\((\d+)/.exec(p.message)?.[1];
    if (p.phase !== last || count === undefined || Number(count) % 25 === 0) io.stderr(`${line}\n`);
    last = p.phase;
  };
  const result = await installDlv({
    host: session.host,
    go: prepared.go,
    goEnv: prepared.goEnv,
    dir,
    plan,
    onProgress,
    reinstall: values.reinstall === true,
    ...(timeoutMs ? { timeoutMs } : {}),
    ...(io.signal ? { signal: io.signal } : {}),
  });
  const ok = result.outcome === 'installed' || result.outcome === 'unchanged';
  const settings = ok ? { 'go.alternateTools': { dlv: result.path } } : undefined;
  if (json) {
    const { probes, ...rest } = result;
    io.stdout(
      JSON.stringify(
        {
          ...rest,
          plan: {
            version: plan.version,
            why: plan.why,
            gotoolchain: plan.gotoolchain,
            toolchainNote: plan.toolchainNote,
            warnings: plan.warnings,
            sources: plan.sources,
          },
          ...(settings ? { settings } : {}),
          findings: prepared.findings,
          commands: probes.map((p) => ({ argv: p.argv, outcome: p.outcome, exitCode: p.exitCode, durationMs: p.durationMs })),
        },
        null,
        2,
      ) + '\n',
    );
  } else if (ok) {
    io.stdout(
      `${result.message}\n${result.previous ? `The dlv it replaced is kept at ${result.previous}.\n` : ''}\nTo make the Go extension use it (and keep "Go: Install/Update Tools" from replacing it), add to your VS Code user settings:\n  "go.alternateTools": { "dlv": ${JSON.stringify(result.path)} }\n`,
    );
  } else {
    io.stderr(
      `go-debug-doctor: ${result.message}\n${result.fix ? `  fix: ${result.fix}\n` : ''}${
        result.detail
          ? `  go said:\n${result.detail
              .split('\n')
              .map((l) => `    ${l}`)
              .join('\n')}\n`
          : ''
      }`,
    );
  }
  return ok ? EXIT.ok : EXIT.failed;
}
