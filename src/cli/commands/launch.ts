import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { LiveHost } from '../../core/probes/host';
import { Session, withPinnedDlv } from '../../core/session/session';
import { PRESETS, type Adapter, type ConfigKind, type PresetName } from '../../core/launch/generate';
import { planLaunchFiles, writePlannedFiles } from '../../core/launch/files';
import { type ClashPolicy } from '../../core/launch/merge';
import { EXIT, parse, UsageError, type Io } from '../common';
import { InputError, JsoncFileError } from '../../core/io/errors';

export const help = `go-debug-doctor launch [options]

Generates debug configurations for the workspace and merges them into .vscode/launch.json and
.vscode/tasks.json: launch per command (package main), tests per package, attach to a local process,
and a headless dlv on 127.0.0.1 started by a background task with the attach configuration that
connects to it. Comments, formatting and your own entries are kept byte for byte; an entry that is
already there is left alone, so running it twice changes nothing. Without --write it only shows the diff.

Options:
  --workspace DIR     the VS Code workspace folder (default: the current folder)
  --write             write the files (atomically); without it, a dry run that prints the diff
  --dry-run           print the diff and write nothing (the default)
  --preset NAME       fast (default), deep or none:
                        fast: ${PRESETS.fast.why}
                        deep: ${PRESETS.deep.why}
  --adapter NAME      dlv-dap (default) or legacy (then the preset becomes dlvLoadConfig)
  --kinds LIST        comma-separated: launch,test,attach,remote,container (default: all but container);
                      container: "Connect to dlv in a container / remote host" (mode remote,
                      substitutePath to --remote-root) with the docker and ssh commands that serve it
  --remote-root DIR   where the sources are in the container or on the remote host (default /app)
  --package REL       only this package folder (repeatable), e.g. cmd/api
  --on-clash POLICY   an entry of the same name but other content: skip (default), replace, rename
  --dlv PATH          the dlv the headless task runs (default: the pinned one, else the one found)
  --json              print the plan as JSON

Exit codes: 0 written or nothing to do (dry run: 0), 1 a file could not be read or parsed, or names
clashed, 2 usage error.
`;

export async function run(args: string[], io: Io): Promise<number> {
  const { values } = parse(args, {
    workspace: { type: 'string' },
    write: { type: 'boolean' },
    'dry-run': { type: 'boolean' },
    preset: { type: 'string' },
    adapter: { type: 'string' },
    kinds: { type: 'string' },
    'remote-root': { type: 'string' },
    package: { type: 'string', multiple: true },
    'on-clash': { type: 'string' },
    dlv: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (values.help) return (io.stdout(help), EXIT.ok);
  if (values.write && values['dry-run']) throw new UsageError('--write and --dry-run cannot be combined');
  const preset = (values.preset as string | undefined) ?? 'fast';
  if (!['fast', 'deep', 'none'].includes(preset)) throw new UsageError(`unknown preset "${preset}" (fast, deep, none)`);
  const adapter = (values.adapter as string | undefined) ?? 'dlv-dap';
  if (!['dlv-dap', 'legacy'].includes(adapter)) throw new UsageError(`unknown adapter "${adapter}" (dlv-dap, legacy)`);
  const policy = (values['on-clash'] as string | undefined) ?? 'skip';
  if (!['skip', 'replace', 'rename'].includes(policy)) throw new UsageError(`unknown --on-clash "${policy}" (skip, replace, rename)`);
  const kinds = typeof values.kinds === 'string' ? values.kinds.split(',').map((k) => k.trim()) : undefined;
  for (const k of kinds ?? [])
    if (!['launch', 'test', 'attach', 'remote', 'container'].includes(k))
      throw new UsageError(`unknown kind "${k}" (launch, test, attach, remote, container)`);

  const host = new LiveHost();
  const folder = path.resolve(io.cwd, (values.workspace as string | undefined) ?? '.');
  // Before anything runs in it, and so that --write never creates the folder itself.
  const folderStat = await fs.stat(folder).catch(() => undefined);
  if (!folderStat?.isDirectory())
    throw new InputError(`--workspace ${folder}: ${folderStat ? 'is a file, not a folder' : 'no such folder'}`);
  const chosenDlv = typeof values.dlv === 'string' ? path.resolve(io.cwd, values.dlv) : undefined;
  const session = new Session(host, await withPinnedDlv(host, { workspace: folder }, chosenDlv));
  const facts = session.facts;
  const [go, dlv, dlvVersion] = await Promise.all([facts.goLocation(), facts.dlvLocation(), facts.dlvVersion()]);
  if (!go.found) {
    io.stderr('go-debug-doctor: go was not found; it is needed to find the packages (go list).\n');
    return EXIT.failed;
  }
  let plan;
  try {
    plan = await planLaunchFiles({
      host,
      folder,
      go: go.found.path,
      policy: policy as ClashPolicy,
      preset: preset as PresetName,
      adapter: adapter as Adapter,
      ...(kinds ? { kinds: kinds as ConfigKind[] } : {}),
      ...(typeof values['remote-root'] === 'string' ? { remoteRoot: values['remote-root'] } : {}),
      ...(values.package ? { only: values.package as string[] } : {}),
      ...(dlv.found ? { dlvPath: dlv.found.path } : {}),
      ...(dlvVersion?.value ? { dlvVersion: dlvVersion.value.version } : {}),
    });
  } catch (err) {
    if (err instanceof JsoncFileError) {
      io.stderr(`go-debug-doctor: not changing anything: ${err.message}\n`);
      return EXIT.failed;
    }
    throw err;
  }
  const write = values.write === true;
  const written = write ? await writePlannedFiles(plan) : [];
  const clashes = plan.files.flatMap((f) => f.result.clashes.map((name) => `${path.relative(folder, f.file)}: "${name}"`));
  if (values.json) {
    io.stdout(
      JSON.stringify(
        {
          folder,
          kind: plan.workspace.kind,
          packages: plan.workspace.packages.map((p) => ({ rel: p.rel, importPath: p.importPath, main: p.isMain, tests: p.hasTests })),
          dlv: dlv.found?.path ?? null,
          dlvVersion: dlvVersion?.value?.version ?? null,
          files: plan.files.map((f) => ({
            file: f.file,
            changed: f.result.changed,
            added: f.result.added,
            unchanged: f.result.unchanged,
            clashes: f.result.clashes,
            replaced: f.result.replaced,
            renamed: f.result.renamed,
            diff: f.diff,
          })),
          written,
          notes: plan.generated.notes,
          problems: plan.workspace.problems,
        },
        null,
        2,
      ) + '\n',
    );
  } else {
    for (const p of plan.workspace.problems) io.stderr(`note: ${p}\n`);
    for (const n of plan.generated.notes) io.stderr(`note: ${n}\n`);
    for (const f of plan.files) {
      const rel = path.relative(folder, f.file);
      if (!f.result.changed) io.stdout(`${rel}: up to date (${f.result.unchanged.length} entries already there)\n`);
      else
        io.stdout(
          `${write ? '' : '(dry run) '}${rel}: ${[f.result.added.length && `add ${f.result.added.length}`, f.result.replaced.length && `replace ${f.result.replaced.length}`, f.result.renamed.length && `add ${f.result.renamed.length} renamed`].filter(Boolean).join(', ')}\n${write ? '' : f.diff}`,
        );
    }
    for (const c of clashes) io.stderr(`clash: ${c} exists with other content and was left alone (--on-clash replace or rename)\n`);
    if (!write && plan.files.some((f) => f.result.changed)) io.stdout('Run again with --write to write these changes.\n');
  }
  return clashes.length ? EXIT.failed : EXIT.ok;
}
