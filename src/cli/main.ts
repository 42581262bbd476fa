import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { runDoctor, reportFailed, TOOL } from '../core/checks/doctor';
import { LiveHost, type Host } from '../core/probes/host';
import { parseRecording, RecordingHost, ReplayHost, type Recording } from '../core/probes/recording';
import { BinaryFormatError } from '../core/binary/bytes';
import { inspectFile, type BinaryInfo } from '../core/binary/inspect';
import { delveSupportsGo } from '../core/knowledge';
import { formatJson, formatMarkdown, formatText } from '../core/output/checkReport';
import { INSTALL_DLV_HELP, installDlvCommand } from './installDlv';
import { LAUNCH_HELP, launchCommand } from './launch';
import { LINT_HELP, lintCommand } from './lint';
import { SELFTEST_HELP, selfTestCommand } from './selftest';
import { EXPLAIN_HELP, explainCommand } from './explain';
import { defaultInstallDir } from '../core/install/installer';
import { EXIT, parse, UsageError, type Io } from './common';
import { writeFileAtomic } from '../core/io/files';

export { EXIT, type Io } from './common';
import { formatGoVersion, parseGoVersion, parseModuleVersion } from '../core/facts/versions';


const HELP: Record<string, string> = {
  main: `go-debug-doctor ${TOOL.version}: checks the Go debugging chain (go, dlv, gopls, the Go extension).

Usage:
  go-debug-doctor check   [--workspace DIR] [--json | --markdown] [--verbose]   run every check
  go-debug-doctor compat  --go VERSION --dlv VERSION [--dlv-built-with VERSION] [--json]
  go-debug-doctor inspect FILE [--json]                                        CPU, signature, Go build info
  go-debug-doctor install-dlv [--recommended | --version V | --profile NAME] [--dir DIR] [--json]
  go-debug-doctor launch  [--workspace DIR] [--dry-run | --write] [--preset fast|deep|none] [--json]
  go-debug-doctor lint    [FILE...] [--json]                                   check launch.json/tasks.json
  go-debug-doctor selftest [--dlv PATH] [--keep] [--backend NAME] [--json]     a real debug session, step by step
  go-debug-doctor explain [TEXT...]                                            what a Delve error message means
  go-debug-doctor help [COMMAND] | --version

Exit codes: 0 nothing failed, 1 a check failed (or a pair is not compatible), 2 usage error.
`,
  check: `go-debug-doctor check [options]

Runs every check against this machine and the workspace and prints one line per check.

Options:
  --workspace DIR   the folder whose go.mod/go.work decides the Go (default: the current folder)
  --json            machine-readable report (schema: docs/json-output.md)
  --markdown        Markdown report, for bug reports
  --verbose         also print evidence (commands run, their output) and sources
  --profile NAME    compare against a profile: recommended (default) or golden-triangle
  --timeout MS      how long one probe may run before it is killed (default 10000)
  --backend NAME    the Delve backend your configuration uses: default (debugserver on macOS), native,
                    lldb or rr; decides whether dlv's code signature matters
  --no-fail-exit    exit 0 even when a check fails (usage errors still exit 2)
  --record FILE     also write everything observed (commands and outputs, files, environment
                    variables read; your home folder shown as ~) to FILE, for bug reports
  --replay FILE     run the checks against a recording instead of this machine (any OS)

Exit codes: 0 when nothing fails, 1 when a check fails or errors, 2 on a usage error.
`,
  compat: `go-debug-doctor compat --go VERSION --dlv VERSION [--dlv-built-with VERSION] [--json]

Says whether a Delve release can debug a program built by a Go version, why, and the source.
Versions may be written 1.22, 1.22.3 or go1.22.3 (Go) and 1.21.2 or v1.21.2 (Delve).

  --dlv-built-with VERSION   the Go that compiled dlv (applies the DWARF 5 rule); without it, dlv is
                             assumed to be built the way Go Debug Doctor builds it (Go >= 1.25 when needed)

Exit codes: 0 compatible, 1 not compatible or unknown, 2 usage error.
`,
};

HELP.inspect = `go-debug-doctor inspect FILE [--json]

Reads a Mach-O (thin or universal) or ELF file without running it: the CPU type of each slice, its
code signature (unsigned, ad hoc, linker-signed, or with a certificate: team id, hardened runtime,
entitlements) and the Go build information (the Go that built it, main package and module version).
JSON schema: docs/inspect.md.

Exit codes: 0 read, 1 not a readable Mach-O/ELF file, 2 usage error.
`;

HELP['install-dlv'] = INSTALL_DLV_HELP;
HELP.launch = LAUNCH_HELP;
HELP.lint = LINT_HELP;
HELP.selftest = SELFTEST_HELP;
HELP.explain = EXPLAIN_HELP;

async function check(args: string[], io: Io): Promise<number> {
  const { values } = parse(args, {
    workspace: { type: 'string' },
    json: { type: 'boolean' },
    markdown: { type: 'boolean' },
    verbose: { type: 'boolean', short: 'v' },
    profile: { type: 'string' },
    timeout: { type: 'string' },
    'no-fail-exit': { type: 'boolean' },
    record: { type: 'string' },
    replay: { type: 'string' },
    backend: { type: 'string' },
  });
  if (values.help) return (io.stdout(HELP.check!), EXIT.ok);
  if (values.record && values.replay) throw new UsageError('--record and --replay cannot be combined');
  if (values.json && values.markdown) throw new UsageError('--json and --markdown cannot be combined');
  let timeoutMs: number | undefined;
  if (values.timeout !== undefined) {
    timeoutMs = Number(values.timeout);
    if (!Number.isInteger(timeoutMs) || timeoutMs < 100 || timeoutMs > 600_000) throw new UsageError('--timeout takes milliseconds from 100 to 600000');
  }
  const profile = values.profile as string | undefined;
  if (profile !== undefined && !['recommended', 'golden-triangle'].includes(profile)) throw new UsageError(`unknown profile "${profile}" (recommended, golden-triangle)`);
  const backend = values.backend as string | undefined;
  if (backend !== undefined && !['default', 'native', 'lldb', 'rr'].includes(backend)) throw new UsageError(`unknown backend "${backend}" (default, native, lldb, rr)`);
  let host: Host = new LiveHost();
  let workspace = path.resolve(io.cwd, (values.workspace as string | undefined) ?? '.');
  if (typeof values.replay === 'string') {
    const file = path.resolve(io.cwd, values.replay);
    let recording: Recording;
    try {
      recording = parseRecording(readFileSync(file, 'utf8'));
    } catch (err) {
      throw new UsageError(`--replay ${values.replay}: ${(err as Error).message}`);
    }
    host = new ReplayHost(recording);
    workspace = (values.workspace as string | undefined) ?? recording.workspace ?? workspace;
  }
  const recorder = typeof values.record === 'string' ? new RecordingHost(host) : undefined;
  recorder?.setWorkspace(workspace);
  const report = await runDoctor({
    host: recorder ?? host,
    workspace,
    ...(values.replay ? {} : { pinnedDlv: path.join(defaultInstallDir(host), 'dlv') }),
    ...(timeoutMs ? { timeoutMs } : {}),
    ...(profile ? { profile } : {}),
    ...(backend ? { backend: backend as 'default' | 'native' | 'lldb' | 'rr' } : {}),
  });
  if (recorder) await writeFileAtomic(path.resolve(io.cwd, values.record as string), JSON.stringify(recorder.toJSON(), null, 2) + '\n');
  if (values.json) io.stdout(formatJson(report));
  else if (values.markdown) io.stdout(formatMarkdown(report));
  else io.stdout(formatText(report, { color: io.isTTY, verbose: values.verbose === true }));
  return reportFailed(report) && !values['no-fail-exit'] ? EXIT.failed : EXIT.ok;
}

function compat(args: string[], io: Io): number {
  const { values } = parse(args, {
    go: { type: 'string' },
    dlv: { type: 'string' },
    'dlv-built-with': { type: 'string' },
    json: { type: 'boolean' },
  });
  if (values.help) return (io.stdout(HELP.compat!), EXIT.ok);
  if (typeof values.go !== 'string' || typeof values.dlv !== 'string') throw new UsageError('compat needs --go VERSION and --dlv VERSION');
  const go = parseGoVersion(values.go);
  if (!go) throw new UsageError(`--go: "${values.go}" is not a Go version (try 1.22, 1.22.3 or go1.22.3)`);
  const dlv = parseModuleVersion(values.dlv);
  if (!dlv) throw new UsageError(`--dlv: "${values.dlv}" is not a Delve version (try 1.21.2 or v1.21.2)`);
  const builtWithText = values['dlv-built-with'] as string | undefined;
  const builtWith = builtWithText !== undefined ? parseGoVersion(builtWithText) : undefined;
  if (builtWithText !== undefined && !builtWith) throw new UsageError(`--dlv-built-with: "${builtWithText}" is not a Go version`);
  const verdict = delveSupportsGo(dlv, go, builtWith);
  const result = {
    go: formatGoVersion(go),
    dlv,
    ...(builtWith ? { dlvBuiltWith: formatGoVersion(builtWith) } : {}),
    compatible: verdict.verdict === 'compatible',
    verdict: verdict.verdict,
    reasons: verdict.reasons,
    ...(verdict.delveMessage ? { delveMessage: verdict.delveMessage } : {}),
    ...(verdict.release ? { supportedGo: { min: verdict.release.goMin, max: verdict.release.goMax } } : {}),
    sources: verdict.sources,
  };
  if (values.json) io.stdout(JSON.stringify(result, null, 2) + '\n');
  else {
    const head = { compatible: 'compatible', incompatible: 'NOT compatible', unknown: 'unknown' }[verdict.verdict];
    io.stdout(`${head}: Delve ${dlv} and ${formatGoVersion(go)}\n${verdict.reasons.map((r) => `  ${r}\n`).join('')}${verdict.delveMessage ? `  Delve says: ${verdict.delveMessage}\n` : ''}${verdict.sources.map((s) => `  source: ${s}\n`).join('')}`);
  }
  return result.compatible ? EXIT.ok : EXIT.failed;
}

async function inspect(args: string[], io: Io): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, options: { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: true });
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  if (parsed.values.help) return (io.stdout(HELP.inspect!), EXIT.ok);
  if (parsed.positionals.length !== 1) throw new UsageError('inspect takes one FILE');
  const file = path.resolve(io.cwd, parsed.positionals[0]!);
  let info: BinaryInfo;
  try {
    info = await inspectFile(file);
  } catch (err) {
    const message = err instanceof BinaryFormatError ? err.message : (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message;
    if (parsed.values.json) io.stdout(JSON.stringify({ file, error: message }, null, 2) + '\n');
    else io.stderr(`go-debug-doctor: ${file}: ${message}\n`);
    return EXIT.failed;
  }
  if (parsed.values.json) io.stdout(JSON.stringify(info, null, 2) + '\n');
  else io.stdout(formatBinaryInfo(file, info));
  return EXIT.ok;
}

function formatBinaryInfo(file: string, info: BinaryInfo): string {
  const lines = [`${file}: ${info.format === 'macho-fat' ? `universal Mach-O (${info.slices.map((s) => s.arch).join(', ')})` : info.format === 'macho' ? 'Mach-O' : 'ELF'}`];
  for (const s of info.slices) {
    lines.push(`  ${s.arch}:`);
    if (info.format !== 'elf') {
      const sig = s.signature;
      const kind = !sig ? 'unsigned' : sig.hasCms ? `signed with a certificate${sig.teamId ? ` (team ${sig.teamId})` : ''}` : sig.linkerSigned ? 'ad hoc, signed by the linker' : sig.adhoc ? 'ad hoc' : 'signed';
      lines.push(`    signature: ${kind}${sig?.runtime ? ', hardened runtime' : ''}${sig?.identifier ? `, identifier ${sig.identifier}` : ''}`);
      if (sig?.entitlements && Object.keys(sig.entitlements).length) lines.push(`    entitlements: ${Object.entries(sig.entitlements).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ')}`);
    }
    const go = s.goBuildInfo;
    lines.push(`    Go: ${go ? `${go.goVersion}${go.path ? `, ${go.path}` : ''}${go.version ? ` ${go.version}` : ''}` : 'not a Go program (no build information)'}`);
  }
  return lines.join('\n') + '\n';
}

export async function main(argv: string[], io: Io): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case undefined:
      case 'help':
      case '--help':
      case '-h': {
        const topic = command === 'help' ? rest[0] : undefined;
        if (topic && !HELP[topic]) throw new UsageError(`no help for "${topic}"`);
        io.stdout(HELP[topic ?? 'main']!);
        return command === undefined ? EXIT.usage : EXIT.ok;
      }
      case '--version':
      case 'version':
        io.stdout(`${TOOL.version}\n`);
        return EXIT.ok;
      case 'check':
        return await check(rest, io);
      case 'compat':
        return compat(rest, io);
      case 'inspect':
        return await inspect(rest, io);
      case 'install-dlv':
        return await installDlvCommand(rest, io);
      case 'launch':
        return await launchCommand(rest, io);
      case 'lint':
        return await lintCommand(rest, io);
      case 'selftest':
        return await selfTestCommand(rest, io);
      case 'explain':
        return explainCommand(rest, io);
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`go-debug-doctor: ${err.message}\nRun "go-debug-doctor help" for usage.\n`);
      return EXIT.usage;
    }
    io.stderr(`go-debug-doctor: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return EXIT.failed;
  }
}

if (require.main === module) {
  const interrupt = new AbortController();
  process.once('SIGINT', () => interrupt.abort());
  process.once('SIGTERM', () => interrupt.abort());
  void main(process.argv.slice(2), {
    signal: interrupt.signal,
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    cwd: process.cwd(),
    isTTY: process.stdout.isTTY === true && !process.env.NO_COLOR,
  }).then((code) => {
    process.exitCode = code;
  });
}
