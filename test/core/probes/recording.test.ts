import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { runDoctor } from '../../../src/core/checks/doctor';
import { LiveHost } from '../../../src/core/probes/host';
import { parseRecording, RecordingHost, redactHome, ReplayHost, type Recording } from '../../../src/core/probes/recording';
import { runProcess } from '../../../src/core/probes/runProcess';
import { tempDir, testTools, writeFile, quietHome } from '../../helpers';

/** A recording of a Mac that ran only these probes. */
function macRecording(probes: Recording['probes']): Recording {
  return { format: 'go-debug-doctor-recording', version: 1, platform: 'darwin', arch: 'x64', env: {}, files: {}, probes };
}

describe('record and replay', () => {
  const tools = testTools();

  it('a recorded run replays to the same verdicts, and the home folder never appears', async () => {
    const root = tempDir('gdd-rec-');
    const home = path.join(root, 'home');
    writeFile(path.join(home, 'ws', 'go.mod'), 'module m\n\ngo 1.22\n');
    writeFile(path.join(home, 'go', 'bin', '.keep'), '');
    const bin = path.join(home, 'go', 'bin');
    await runProcess(['ln', '-s', tools['dlv-new'], path.join(bin, 'dlv')]);
    await runProcess(['ln', '-s', tools.gopls, path.join(bin, 'gopls')]);
    const env = {
      HOME: quietHome(home),
      PATH: `${path.dirname(process.execPath)}:${(process.env.PATH ?? '')
        .split(':')
        .filter((d) => !d.includes(home))
        .join(':')}`,
      GOTOOLCHAIN: 'local',
    };
    const recorder = new RecordingHost(new LiveHost(env));
    const workspace = path.join(home, 'ws');
    recorder.setWorkspace(workspace);
    const live = await runDoctor({ host: recorder, workspace });
    const recording = recorder.toJSON();
    const text = JSON.stringify(recording);
    assert.ok(!text.includes(home), 'the home folder is shown as ~');
    assert.equal(recording.workspace, '~/ws');
    assert.ok(recording.probes.some((p) => p.argv[0] === '~/go/bin/dlv'));
    assert.ok(
      Object.values(recording.files).some((f) => f.chunks?.length),
      'dlv bytes read by the binary reader are kept',
    );

    const replayed = await runDoctor({ host: new ReplayHost(parseRecording(text)), workspace: recording.workspace! });
    assert.deepEqual(
      replayed.checks.map((c) => [c.id, c.status]),
      live.checks.map((c) => [c.id, c.status]),
    );
    const dlvRow = replayed.checks.find((c) => c.id === 'tools.dlv')!;
    assert.match(dlvRow.summary, /Delve 1\.27\.2 at ~\/go\/bin\/dlv/);
    assert.equal(replayed.checks.find((c) => c.id === 'compat.dwarf5')!.status, 'pass');
  });

  it('a probe missing from the recording behaves as "command not found"', async () => {
    const host = new ReplayHost(macRecording([]));
    const probe = await host.run(['/usr/bin/sw_vers', '-productVersion']);
    assert.equal(probe.outcome, 'not-found');
  });

  it("probes match by the command's base name and the exact arguments", async () => {
    const host = new ReplayHost(macRecording([{ argv: ['sw_vers', '-productVersion'], stdout: '14.2.1\n', stderr: '', exitCode: 0 }]));
    assert.equal((await host.run(['/usr/bin/sw_vers', '-productVersion'])).stdout, '14.2.1\n');
    assert.equal((await host.run(['sw_vers', '-buildVersion'])).outcome, 'not-found');
  });

  it('a recorded full `go env -json` (older recordings) answers the doctor asking for variables by name', async () => {
    const full = '{\n\t"GOOS": "darwin",\n\t"GOVERSION": "go1.22.3",\n\t"GOGCCFLAGS": "-fPIC"\n}\n';
    const host = new ReplayHost(macRecording([{ argv: ['/usr/local/go/bin/go', 'env', '-json'], stdout: full, stderr: '', exitCode: 0 }]));
    const named = await host.run(['/opt/go/bin/go', 'env', '-json', 'GOOS', 'GOVERSION']);
    assert.equal(named.outcome, 'ok');
    assert.equal(named.stdout, full);
    assert.equal((await host.run(['/opt/go/bin/go', 'env', 'GOOS'])).outcome, 'not-found');
    assert.equal((await host.run(['/opt/go/bin/dlv', 'env', '-json', 'GOOS'])).outcome, 'not-found');
  });

  it('home redaction stops at path boundaries', () => {
    assert.equal(redactHome('/root/go:/rootfs/bin:/x/root/y', '/root'), '~/go:/rootfs/bin:/x/root/y');
    assert.equal(redactHome('HOME=/Users/me; /Users/me/go/bin/dlv and /Users/meg', '/Users/me'), 'HOME=~; ~/go/bin/dlv and /Users/meg');
  });

  it('a broken recording file is a clear usage error in the CLI (exit 2)', async () => {
    const dir = tempDir();
    for (const [name, content, message] of [
      ['garbage.json', '{ not json', /not JSON/],
      ['other.json', '{"format":"something-else"}', /not a go-debug-doctor recording/],
      ['partial.json', '{"format":"go-debug-doctor-recording","version":1,"platform":"darwin"}', /missing/],
    ] as const) {
      const file = writeFile(path.join(dir, name), content);
      const out = await runProcess([process.execPath, path.resolve('dist/cli.js'), 'check', '--replay', file]);
      assert.equal(out.exitCode, 2, name);
      assert.match(out.stderr, message);
    }
  });

  it('the CLI writes a recording with --record and reads it back with --replay', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'machine.json');
    const rec = await runProcess([
      process.execPath,
      path.resolve('dist/cli.js'),
      'check',
      '--json',
      '--no-fail-exit',
      '--record',
      file,
      '--workspace',
      dir,
    ]);
    assert.equal(rec.exitCode, 0, rec.stderr);
    const replay = await runProcess([process.execPath, path.resolve('dist/cli.js'), 'check', '--json', '--no-fail-exit', '--replay', file]);
    assert.equal(replay.exitCode, 0, replay.stderr);
    const a = JSON.parse(rec.stdout) as { checks: Array<{ status: string }> };
    const b = JSON.parse(replay.stdout) as { checks: Array<{ status: string }> };
    assert.deepEqual(
      b.checks.map((c) => c.status),
      a.checks.map((c) => c.status),
    );
    assert.equal(parseRecording(readFileSync(file, 'utf8')).format, 'go-debug-doctor-recording');
  });
});
