import * as path from 'node:path';
import { runDoctor, reportFailed } from '../../core/checks/doctor';
import { pinnedDlvPath } from '../../core/install/folder';
import { readUserText } from '../../core/io/read';
import { LiveHost, type Host } from '../../core/probes/host';
import type { Recording, RecordingHost } from '../../core/probes/recording';
import { parseBackend, parseProfile, parseTimeoutMs, PROFILE_IDS } from '../../core/session/options';
import { Session } from '../../core/session/session';
import { EXIT, parse, UsageError, type Io } from '../common';
import { InputError } from '../../core/io/errors';

export const help = `go-debug-doctor check [options]

Runs every check against this machine and the workspace and prints one line per check.

Options:
  --workspace DIR   the folder whose go.mod/go.work decides the Go (default: the current folder)
  --json            machine-readable report (schema: docs/json-output.md)
  --markdown        Markdown report, for bug reports
  --verbose         also print evidence (commands run, their output) and sources
  --profile NAME    compare against a profile: ${PROFILE_IDS.map((id) => (id === 'recommended' ? 'recommended (default)' : id)).join(' or ')}
  --timeout MS      how long one probe may run before it is killed (default 10000)
  --backend NAME    the Delve backend your configuration uses: default (debugserver on macOS), native,
                    lldb or rr; decides whether dlv's code signature matters
  --no-fail-exit    exit 0 even when a check fails (usage errors still exit 2)
  --record FILE     also write everything observed (commands and outputs, files, environment
                    variables read; your home folder shown as ~) to FILE, for bug reports
  --replay FILE     run the checks against a recording instead of this machine (any OS)

Exit codes: 0 when nothing fails, 1 when a check fails or errors, 2 on a usage error.
`;

export async function run(args: string[], io: Io): Promise<number> {
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
  if (values.help) return (io.stdout(help), EXIT.ok);
  if (values.record && values.replay) throw new UsageError('--record and --replay cannot be combined');
  if (values.json && values.markdown) throw new UsageError('--json and --markdown cannot be combined');
  const timeoutMs = parseTimeoutMs(values.timeout as string | undefined);
  const profile = parseProfile(values.profile as string | undefined);
  const backend = parseBackend(values.backend as string | undefined);
  let host: Host = new LiveHost();
  let workspace = path.resolve(io.cwd, (values.workspace as string | undefined) ?? '.');
  if (typeof values.replay === 'string') {
    const file = path.resolve(io.cwd, values.replay);
    let recording: Recording;
    const text = await readUserText(file, { label: `--replay ${values.replay}` });
    const { parseRecording, ReplayHost } = await import('../../core/probes/recording');
    try {
      recording = parseRecording(text);
    } catch (err) {
      throw new UsageError(`--replay ${values.replay}: ${(err as Error).message}`);
    }
    host = new ReplayHost(recording);
    workspace = (values.workspace as string | undefined) ?? recording.workspace ?? workspace;
  }
  if (!values.replay && !(await host.stat(workspace)).isDirectory) {
    throw new InputError(`--workspace ${workspace}: no such folder`);
  }
  // What only --record and --replay use is loaded for them alone: a plain run starts its probes sooner.
  let recorder: RecordingHost | undefined;
  if (typeof values.record === 'string') recorder = new (await import('../../core/probes/recording')).RecordingHost(host);
  recorder?.setWorkspace(workspace);
  const session = new Session(recorder ?? host, {
    workspace,
    ...(values.replay ? {} : { pinnedDlv: pinnedDlvPath(host) }),
    ...(timeoutMs ? { timeoutMs } : {}),
    ...(profile ? { profile } : {}),
    ...(backend ? { backend } : {}),
  });
  const report = await runDoctor(session);
  const { formatJson, formatMarkdown, formatText } = await import('../../core/output/checkReport');
  if (recorder) {
    const { writeFileAtomic } = await import('../../core/io/files');
    await writeFileAtomic(path.resolve(io.cwd, values.record as string), JSON.stringify(recorder.toJSON(), null, 2) + '\n', {
      label: `--record ${values.record as string}`,
    });
  }
  if (values.json) io.stdout(formatJson(report));
  else if (values.markdown) io.stdout(formatMarkdown(report));
  else io.stdout(formatText(report, { color: io.isTTY, verbose: values.verbose === true }));
  return reportFailed(report) && !values['no-fail-exit'] ? EXIT.failed : EXIT.ok;
}
