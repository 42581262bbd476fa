import { acceptsConnection, loopbackAddress } from '../../core/dap/loopback';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { LiveHost } from '../../core/probes/host';
import { Session, withPinnedDlv } from '../../core/session/session';
import { listServerSources } from '../../core/verify/remote';
import { lintLaunchJson } from '../../core/launch/lint';
import type { LintFinding } from '../../core/launch/lintFinding';
import { lintTasksJson, taskLabels } from '../../core/launch/lintTasks';
import { EXIT, parse, UsageError, type Io } from '../common';
import { readUserText } from '../../core/io/read';

export const help = `go-debug-doctor lint [PATH...] [--json] [--dlv-version V]

Checks launch.json and tasks.json for Go debugging mistakes: attributes the Go debugger does not
have (from the Go extension's own manifest), attributes the chosen adapter ignores (dlvLoadConfig
under dlv-dap), knobs the installed dlv is too old for, host or --listen off loopback, -gcflags in
buildFlags, mode "remote" with no server or task, dlvFlags that fight the adapter, a headless dlv
without --api-version=2 (Delve before 1.24.0) or with --continue but no --accept-multiclient.

PATH is a launch.json, a tasks.json, or a folder (its .vscode/launch.json and tasks.json);
default: the current folder.

  --dlv-version V   judge against this Delve (default: the dlv Go Debug Doctor finds)
  --json            findings as JSON

Exit codes: 0 clean, 1 findings, 2 usage error.
`;

export async function run(args: string[], io: Io): Promise<number> {
  const parsed = parse(args, { json: { type: 'boolean' }, 'dlv-version': { type: 'string' } }, { positionals: true });
  if (parsed.values.help) return (io.stdout(help), EXIT.ok);
  const targets = (parsed.positionals.length ? parsed.positionals : ['.']).map((p) => path.resolve(io.cwd, p));
  const files: string[] = [];
  for (const t of targets) {
    const st = await fs.stat(t).catch(() => undefined);
    if (!st) throw new UsageError(`${t}: no such file or folder`);
    if (st.isDirectory()) {
      for (const f of ['launch.json', 'tasks.json']) {
        const file = path.join(t, '.vscode', f);
        // A .vscode that is a file, or a launch.json that is a folder, is reported by the reader.
        if (
          await fs.lstat(file).then(
            () => true,
            (e: NodeJS.ErrnoException) => e.code !== 'ENOENT',
          )
        )
          files.push(file);
      }
    } else files.push(t);
  }
  const dlvVersion = (parsed.values['dlv-version'] as string | undefined) ?? (await foundDlvVersion(io.cwd));
  const findings: LintFinding[] = [];
  for (const file of files) {
    const text = await readUserText(file);
    const isTasks = path.basename(file) === 'tasks.json' || (/"tasks"\s*:/.test(text) && !/"configurations"\s*:/.test(text));
    if (isTasks) findings.push(...lintTasksJson(text, { file, ...(dlvVersion ? { dlvVersion } : {}) }));
    else {
      const labels = await labelsBeside(file);
      findings.push(
        ...(await lintLaunchJson(text, {
          file,
          ...(dlvVersion ? { dlvVersion } : {}),
          taskLabels: labels,
          reachable,
          serverSources: listServerSources,
          workspaceFolder: path.dirname(path.dirname(path.resolve(file))),
        })),
      );
    }
  }
  if (parsed.values.json) io.stdout(JSON.stringify({ files, dlvVersion: dlvVersion ?? null, findings }, null, 2) + '\n');
  else {
    for (const f of findings)
      io.stdout(
        `${path.relative(io.cwd, f.file) || f.file}:${f.line}:${f.column}: ${f.severity} [${f.rule}] ${f.message}${f.fix ? ` (fix: ${f.fix.title})` : ''}\n`,
      );
    io.stdout(
      findings.length
        ? `${findings.length} finding${findings.length === 1 ? '' : 's'} in ${files.length} file${files.length === 1 ? '' : 's'}.\n`
        : `${files.length ? files.map((f) => path.relative(io.cwd, f) || f).join(', ') : 'no launch.json or tasks.json'}: clean.\n`,
    );
  }
  return findings.length ? EXIT.failed : EXIT.ok;
}

async function foundDlvVersion(cwd: string): Promise<string | undefined> {
  const host = new LiveHost();
  const session = new Session(host, await withPinnedDlv(host, { workspace: cwd }));
  return (await session.facts.dlvVersion())?.value?.version;
}

/** The task labels of the tasks.json next to a launch.json (none when there is none). */
async function labelsBeside(launchFile: string): Promise<string[]> {
  const text = await readUserText(path.join(path.dirname(launchFile), 'tasks.json')).catch(() => undefined);
  return text === undefined ? [] : taskLabels(text);
}

const probed = new Map<string, Promise<boolean>>();

/** Whether something listens at host:port; loopback only (anything else counts as unreachable). */
function reachable(host: string, port: number): Promise<boolean> {
  const address = loopbackAddress(host);
  if (!address || !Number.isInteger(port) || port < 1 || port > 65535) return Promise.resolve(false);
  const key = `${address}:${port}`;
  if (!probed.has(key)) probed.set(key, acceptsConnection(address, port, 500));
  return probed.get(key)!;
}
