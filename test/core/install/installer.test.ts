import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { runDoctor } from '../../../src/core/checks/doctor';
import { Facts } from '../../../src/core/facts/facts';
import { processAlive } from '../../../src/core/io/files';
import { LiveHost } from '../../../src/core/probes/host';
import { installDlv, type InstallOptions, type InstallProgress, type InstallResult } from '../../../src/core/install/installer';
import type { DlvRequest } from '../../../src/core/install/plan';
import { prepareDlvInstall } from '../../../src/core/install/prepare';
import { runProcess } from '../../../src/core/probes/runProcess';
import { buildProgram, tempDir, testTools, writeFile } from '../../helpers';

/**
 * Real installs through the Go module proxy, with the machine's real module and build caches (so a
 * repeat build takes seconds). Each test installs into its own temporary folder.
 */
interface Attempt {
  env?: Record<string, string | undefined>;
  goMod?: string;
  request?: DlvRequest;
  force?: boolean;
  install?: Partial<InstallOptions>;
}

async function attempt(dir: string, a: Attempt = {}): Promise<InstallResult & { progress: InstallProgress[] }> {
  const ws = tempDir('gdd-ws-');
  writeFile(path.join(ws, 'go.mod'), a.goMod ?? 'module example.com/ws\n\ngo 1.26\n');
  const env: Record<string, string | undefined> = { ...process.env, GOTOOLCHAIN: 'auto', ...a.env };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
  const host = new LiveHost(env);
  const prepared = await prepareDlvInstall(new Facts({ host, workspace: ws }), a.request ?? { kind: 'recommended' }, a.force);
  assert.ok(prepared.ok, `plan refused: ${!prepared.ok && prepared.reason}`);
  const progress: InstallProgress[] = [];
  const result = await installDlv({
    host,
    go: prepared.go,
    goEnv: prepared.goEnv,
    dir,
    plan: prepared.plan,
    onProgress: (p) => progress.push(p),
    ...a.install,
  });
  return { ...result, progress };
}

const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

async function dlvVersion(file: string): Promise<string> {
  const probe = await runProcess([file, 'version'], { timeoutMs: 10_000 });
  return /Version: (\S+)/.exec(probe.stdout)?.[1] ?? `(${probe.outcome}) ${probe.stderr}`;
}

/** Nothing but dlv (and dlv.previous) may remain: no staging folder, no lock. */
function leftovers(dir: string): string[] {
  return readdirSync(dir).filter((f) => f !== 'dlv' && f !== 'dlv.previous');
}

describe('dlv installer (real go install through the module proxy)', { concurrency: false }, () => {
  const dir = tempDir('gdd-install-');
  let firstHash: string;

  before(async () => {
    const first = await attempt(dir);
    assert.equal(first.outcome, 'installed', first.message);
    firstHash = sha(first.path);
  });

  it('installs the recommended Delve for the workspace Go, verified by running it', async () => {
    assert.equal(await dlvVersion(path.join(dir, 'dlv')), '1.27.2');
    assert.deepEqual(leftovers(dir), []);
  });

  it('a second run changes nothing and builds nothing', async () => {
    const again = await attempt(dir);
    assert.equal(again.outcome, 'unchanged', again.message);
    assert.ok(!again.probes.some((p) => p.argv.includes('install')), 'no go install ran');
    assert.equal(sha(again.path), firstHash);
  });

  it('installs a second real version and keeps the first as dlv.previous, byte for byte', async () => {
    const other = tempDir('gdd-install-');
    await attempt(other);
    const before = sha(path.join(other, 'dlv'));
    const older = await attempt(other, { request: { kind: 'version', version: 'v1.26.3' } });
    assert.equal(older.outcome, 'installed', older.message);
    assert.equal(older.dlv?.version, 'v1.26.3');
    assert.equal(await dlvVersion(path.join(other, 'dlv')), '1.26.3');
    assert.equal(sha(path.join(other, 'dlv.previous')), before);
    assert.equal(older.previous, path.join(other, 'dlv.previous'));
  });

  it('a pin that cannot debug the workspace Go is refused, with the reason and the alternative', async () => {
    const ws = tempDir('gdd-ws-');
    writeFile(path.join(ws, 'go.mod'), 'module example.com/ws\n\ngo 1.26\n');
    const facts = new Facts({ host: new LiveHost({ ...process.env, GOTOOLCHAIN: 'auto' }), workspace: ws });
    const refused = await prepareDlvInstall(facts, { kind: 'version', version: '1.21.2' });
    assert.equal(refused.ok, false);
    assert.ok(!refused.ok);
    assert.match(
      refused.reason,
      /Delve v1\.21\.2 cannot debug programs built with go1\.26\.\d+: .*Version of Delve is too old for Go version go1\.26\.\d+ /,
    );
    assert.match(refused.alternative ?? '', /Delve v1\.27\.2/);
    const forced = await prepareDlvInstall(facts, { kind: 'version', version: '1.21.2' }, true);
    assert.ok(forced.ok && /--force/.test(forced.plan.warnings.join(' ')));
  });

  it('fetches a newer Go through GOTOOLCHAIN when the local go is too old to build a DWARF 5 capable dlv', async () => {
    const gomodcache = (await runProcess(['go', 'env', 'GOMODCACHE'])).stdout.trim();
    const go124 = path.join(gomodcache, 'golang.org', 'toolchain@v0.0.1-go1.24.13.linux-amd64', 'bin');
    assert.ok(existsSync(path.join(go124, 'go')), 'npm test fetched go1.24.13 for dlv-dwarf4');
    const target = tempDir('gdd-install-');
    const result = await attempt(target, { env: { PATH: `${go124}:${process.env.PATH}` } });
    assert.equal(result.outcome, 'installed', result.message);
    const install = result.probes.find((p) => p.argv.includes('install'))!;
    assert.equal(install.argv[0], path.join(go124, 'go'));
    assert.match(result.dlv!.builtWith, /^go1\.25\.\d+$/, 'built by the fetched 1.25 toolchain, not the local 1.24');
    assert.equal(await dlvVersion(result.path), '1.27.2');
  });

  it('a version that does not exist leaves the previous dlv byte-identical, with a clear message', async () => {
    const result = await attempt(dir, { request: { kind: 'version', version: 'v1.99.0' } });
    assert.equal(result.outcome, 'failed');
    assert.match(result.message, /Delve v1\.99\.0 does not exist on the module proxy\. The previous dlv is unchanged\./);
    assert.equal(sha(path.join(dir, 'dlv')), firstHash);
    assert.deepEqual(leftovers(dir), []);
  });

  it('GOPROXY=off fails with the reason and the fix, and leaves the previous dlv', async () => {
    const result = await attempt(dir, { env: { GOPROXY: 'off' }, install: { reinstall: true } });
    assert.equal(result.outcome, 'failed');
    assert.match(result.message, /GOPROXY=off forbids the module lookups/);
    assert.equal(result.fix, 'go env -w GOPROXY=https://proxy.golang.org,direct');
    assert.equal(sha(path.join(dir, 'dlv')), firstHash);
    assert.deepEqual(leftovers(dir), []);
  });

  it('a cancelled install stops go (the whole process group) and leaves the previous dlv', async () => {
    const abort = new AbortController();
    let pid: number | undefined;
    const result = await attempt(dir, {
      install: {
        reinstall: true,
        signal: abort.signal,
        onProgress: (p) => {
          if (p.pid && !pid) {
            pid = p.pid;
            abort.abort();
          }
        },
      },
    });
    assert.equal(result.outcome, 'cancelled', result.message);
    assert.ok(pid);
    assert.equal(processAlive(-pid!), false, 'the go install process group is gone');
    assert.equal(sha(path.join(dir, 'dlv')), firstHash);
    assert.deepEqual(leftovers(dir), []);
  });

  it('a go install killed from outside leaves the previous dlv and says so', async () => {
    const result = await attempt(dir, {
      install: {
        reinstall: true,
        onProgress: (p) => {
          if (p.pid)
            try {
              process.kill(-p.pid, 'SIGKILL');
            } catch {
              /* gone */
            }
        },
      },
    });
    assert.equal(result.outcome, 'failed');
    assert.match(result.message, /killed by SIGKILL.*The previous dlv is unchanged/);
    assert.equal(sha(path.join(dir, 'dlv')), firstHash);
    assert.deepEqual(leftovers(dir), []);
  });

  it('an install whose process died (stale lock, staging folder) does not block the next one', async () => {
    const target = tempDir('gdd-install-');
    const gone = 2 ** 22 + 12345; // above the default pid_max of 4194304: never a live process
    writeFileSync(path.join(target, '.install.lock'), JSON.stringify({ pid: gone, startedAt: '2026-01-01T00:00:00Z' }));
    mkdirSync(path.join(target, `.staging-${gone}-deadbeef`));
    writeFileSync(path.join(target, `.staging-${gone}-deadbeef`, 'dlv'), 'half a binary');
    const result = await attempt(target);
    assert.equal(result.outcome, 'installed', result.message);
    assert.deepEqual(leftovers(target), []);
  });

  it('a hostile environment (GOFLAGS=-mod=vendor, GOOS=windows, GOARCH=arm64, a go env file) does not reach the build', async () => {
    const target = tempDir('gdd-install-');
    const goenv = writeFile(path.join(tempDir('gdd-goenv-'), 'env'), 'GOFLAGS=-mod=vendor\nGOOS=windows\n');
    const result = await attempt(target, { env: { GOFLAGS: '-mod=vendor', GOOS: 'windows', GOARCH: 'arm64', GOENV: goenv } });
    assert.equal(result.outcome, 'installed', result.message);
    assert.equal(result.dlv?.arch, 'x86_64');
    assert.equal(await dlvVersion(result.path), '1.27.2');
  });

  it('the installed dlv debugs the workspace program for real, and the doctor passes with it', async () => {
    const ws = tempDir('gdd-ws-');
    await buildProgram(ws, { goLine: '1.26' });
    writeFile(path.join(ws, 'script.dlv'), 'break main.go:7\ncontinue\nprint answer\nexit\n');
    const dlv = path.join(dir, 'dlv');
    const session = await runProcess([dlv, 'debug', '--allow-non-terminal-interactive=true', '--init', 'script.dlv', '.'], {
      cwd: ws,
      timeoutMs: 120_000,
      env: { ...process.env, GOFLAGS: '' },
    });
    assert.match(session.stdout, /Breakpoint 1 set at .*main\.go:7/);
    assert.match(session.stdout, /^42$/m, `dlv printed: ${session.stdout}${session.stderr}`);
    const before = await runDoctor({
      host: new LiveHost(),
      workspace: ws,
      settings: { alternateTools: { dlv: testTools()['dlv-old'] } },
      pinnedDlv: dlv,
    });
    assert.equal(
      before.checks.find((c) => c.id === 'compat.delveGo')!.status,
      'fail',
      'with Delve 1.21.2 the workspace cannot be debugged',
    );
    const dlvRow = before.checks.find((c) => c.id === 'tools.dlv')!;
    assert.equal(dlvRow.detail, `The pinned dlv Go Debug Doctor installed at ${dlv} is not the one in use.`);
    assert.deepEqual(
      dlvRow.fixes.map((f) => f.action),
      ['openSettings'],
    );
    const report = await runDoctor({ host: new LiveHost(), workspace: ws, settings: { alternateTools: { dlv } } });
    for (const id of ['tools.dlv', 'compat.delveGo', 'compat.dwarf5']) {
      const row = report.checks.find((c) => c.id === id)!;
      assert.equal(row.status, 'pass', `${id}: ${row.summary}`);
    }
    assert.match(report.checks.find((c) => c.id === 'tools.dlv')!.summary, new RegExp(`Delve 1\\.27\\.2 at ${dlv}`));
  });
});
