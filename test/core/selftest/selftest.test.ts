import assert from 'node:assert/strict';
import { copyFileSync, existsSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { runSelfTest, type SelfTestResult } from '../../../src/core/selftest/selftest';
import { selfTestCheck } from '../../../src/core/selftest/selfTestCheck';
import { goTestEnv, tempDir, testTools, writeFile } from '../../helpers';

// A throw-away HOME with Go telemetry off: the go command and dlv otherwise start a telemetry
// child that outlives them and would count as a survivor.
const env = goTestEnv('gdd-selftest-home-');

/** A private copy of a real dlv, so that processes running it can be told from other tests'. */
function ownDlv(name: 'dlv-new' | 'dlv-old' | 'dlv-dwarf4'): string {
  const file = path.join(tempDir('gdd-selftest-dlv-'), 'dlv');
  copyFileSync(testTools()[name], file);
  return file;
}

/** Processes still running a file below `dir` or from `exe` (by /proc/PID/exe and cmdline). */
function survivors(...marks: string[]): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    let exe = '';
    let cmdline = '';
    try {
      exe = readlinkSync(`/proc/${pid}/exe`);
      cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
    } catch {
      continue;
    }
    if (marks.some((m) => exe.includes(m) || cmdline.includes(m))) found.push(`${pid} ${exe} ${cmdline}`);
  }
  return found;
}

function assertNothingLeft(result: SelfTestResult, dlv: string) {
  const folder = result.steps.find((s) => s.id === 'prepare')?.detail ?? 'no prepare step';
  assert.ok(folder?.includes('gdd-selftest-'), 'the prepare step names the folder');
  assert.deepEqual(survivors(dlv, folder), [], 'no dlv, debuggee or build process survives');
  assert.equal(result.folder, undefined);
  assert.equal(existsSync(folder), false, 'the temporary folder is removed');
}

describe('debug self-test against real go and dlv', () => {
  it('passes with a dlv that supports this Go and reports the values it read', async () => {
    const dlv = ownDlv('dlv-new');
    const steps: string[] = [];
    const result = await runSelfTest({ dlv, go: 'go', env, onStep: (s) => steps.push(s.id) });
    assert.equal(result.outcome, 'pass', JSON.stringify(result.failure));
    assert.deepEqual(steps, [
      'prepare',
      'build',
      'start',
      'connect',
      'initialize',
      'launch',
      'setBreakpoints',
      'configurationDone',
      'stopped',
      'threads',
      'stackTrace',
      'scopes',
      'variables',
      'continue',
      'exited',
      'disconnect',
    ]);
    assert.equal(result.values['order.ID'], '7');
    assert.equal(result.values['order.Items["apple"]'], '3');
    assert.match(result.values.long!, /^"0123456789/);
    assert.ok(result.goroutines! >= 2);
    assert.ok(result.steps.every((s) => s.ok && s.durationMs >= 0));
    const row = selfTestCheck(result);
    assert.equal(row.status, 'pass');
    assert.match(row.summary, /order\.ID = 7/);
    // An ELF debuggee has no LC_UUID question; a Mach-O one built by Go < 1.24 turns the row into a macOS 26 warning.
    assert.equal(result.debuggeeWithoutUuid, undefined);
    const tahoe = selfTestCheck({ ...result, debuggeeWithoutUuid: true });
    assert.equal(tahoe.status, 'warn');
    assert.match(tahoe.summary, /no LC_UUID load command .* macOS 26 will refuse to start it/);
    assertNothingLeft(result, dlv);
  });

  it("fails at launch with Delve's refusal, mapped, when dlv is too old for the Go that built the program (GOTOOLCHAIN=go1.24.13)", async () => {
    const dlv = ownDlv('dlv-old');
    const result = await runSelfTest({ dlv, go: 'go', env: { ...env, GOTOOLCHAIN: 'go1.24.13' } });
    assert.equal(result.outcome, 'fail');
    assert.equal(result.failure?.step, 'launch');
    assert.match(result.failure!.message, /Version of Delve is too old for Go version go1\.24\.13 \(maximum supported version 1\.21/);
    const diagnosis = result.failure!.diagnoses[0]!;
    assert.match(diagnosis.id, /too-old/);
    assert.equal(diagnosis.action, 'installDlv');
    assert.match(diagnosis.source ?? '', /go-delve\/delve/);
    const row = selfTestCheck(result);
    assert.equal(row.status, 'fail');
    assert.ok(row.fixes.some((f) => f.action === 'installDlv'));
    assertNothingLeft(result, dlv);
  });

  it('fails with the DWARF 5 cause when dlv was built with a Go older than 1.25', async () => {
    const dlv = ownDlv('dlv-dwarf4');
    const result = await runSelfTest({ dlv, go: 'go', env });
    assert.equal(result.outcome, 'fail');
    assert.match(result.failure!.message, /DWARFv5/);
    assert.match(result.failure!.diagnoses[0]!.id, /dwarf/i);
    assertNothingLeft(result, dlv);
  });

  it('fails at start with "not found" and the install fix for a missing dlv', async () => {
    const missing = path.join(tempDir(), 'no-such-dlv');
    const result = await runSelfTest({ dlv: missing, go: 'go', env });
    assert.equal(result.failure?.step, 'start');
    assert.equal(result.failure!.diagnoses[0]?.id, 'dlv-not-found');
    assert.equal(result.failure!.diagnoses[0]?.action, 'installDlv');
    assertNothingLeft(result, missing);
  });

  it('times out at start for a dlv that never announces its address, and kills it', async () => {
    const hanging = writeFile(path.join(tempDir('gdd-hang-'), 'dlv'), '#!/bin/sh\necho "starting..."\nexec sleep 60\n', true);
    const t0 = performance.now();
    const result = await runSelfTest({ dlv: hanging, go: 'go', env, timeouts: { start: 1500 } });
    assert.ok(performance.now() - t0 < 10_000);
    assert.equal(result.failure?.step, 'start');
    assert.match(result.failure!.message, /no ready line within 1500 ms/);
    assert.equal(result.failure!.diagnoses[0]?.id, 'dlv-hangs');
    assertNothingLeft(result, hanging);
    assert.deepEqual(survivors('sleep 60'), []);
  });

  it("fails at build with the compiler's own words when the program does not compile", async () => {
    const dlv = ownDlv('dlv-new');
    const result = await runSelfTest({ dlv, go: 'go', env, source: 'package main\n\nfunc main() { undefinedThing() }\n' });
    assert.equal(result.failure?.step, 'build');
    assert.match(result.failure!.message, /undefined: undefinedThing/);
    assert.equal(result.failure!.diagnoses[0]?.id, 'selftest-build');
    assert.ok(!result.steps.some((s) => s.id === 'start'), 'dlv is not started');
    assertNothingLeft(result, dlv);
  });

  it('cancelled in the middle of the session, leaves no process and no file', async () => {
    const dlv = ownDlv('dlv-new');
    const abort = new AbortController();
    const result = await runSelfTest({
      dlv,
      go: 'go',
      env,
      signal: abort.signal,
      onStep: (s) => {
        if (s.id === 'launch') abort.abort();
      },
    });
    assert.equal(result.outcome, 'cancelled');
    assert.equal(result.steps.at(-1)?.detail, 'cancelled');
    assert.equal(selfTestCheck(result).status, 'skip');
    assertNothingLeft(result, dlv);
  });

  it('--keep leaves the program for a look, and only that', async () => {
    const dlv = ownDlv('dlv-new');
    const result = await runSelfTest({ dlv, go: 'go', env, keep: true });
    assert.equal(result.outcome, 'pass');
    assert.ok(result.folder && existsSync(path.join(result.folder, 'main.go')) && existsSync(path.join(result.folder, 'selftest')));
    assert.deepEqual(survivors(dlv, result.folder), []);
    rmSync(result.folder, { recursive: true, force: true });
  });
});
