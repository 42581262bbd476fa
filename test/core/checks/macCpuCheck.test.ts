import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { realDarwinDlv, replay, type DarwinDlv } from '../../fixtures/mac-machines';
import { appleSiliconWithIntelDlv, rosettaMac, sysctlMissing, sysctlTimedOut } from '../../fixtures/mac-scenarios';
import { tempDir } from '../../helpers';

describe('mac.cpu on replayed real Mac outputs', () => {
  let d: DarwinDlv;
  before(async () => {
    d = await realDarwinDlv(tempDir('gdd-mac-'), 'v1.21.2', 'auto', 'dlv-old');
  });

  it('x86_64 Go and dlv on an Apple Silicon Mac under Rosetta (go-delve/delve#3592): fail', async () => {
    const r = (await replay(rosettaMac(d)))('mac.cpu');
    assert.equal(r.status, 'fail');
    assert.match(r.summary, /Apple Silicon Mac runs the doctor under Rosetta/);
    assert.match(r.detail!, /can not run under Rosetta/);
  });

  it('under Rosetta, the verdict says the x86_64 dlv it read must be rebuilt for arm64', async () => {
    const r = (await replay(rosettaMac(d)))('mac.cpu');
    assert.equal(r.status, 'fail');
    assert.match(r.summary, /The dlv at ~\/go\/bin\/dlv is an x86_64 build \(read from the file\): it must be rebuilt for arm64/);
    const rebuild = r.fixes.find((f) => f.action === 'installDlv');
    assert.match(rebuild!.command!, /^GOARCH=arm64 go install github\.com\/go-delve\/delve\/cmd\/dlv@/);
  });

  it('sysctl missing: says it could not tell Intel from Apple Silicon (uname -m is x86_64 under Rosetta too)', async () => {
    const r = (await replay(sysctlMissing(d)))('mac.cpu');
    assert.equal(r.status, 'warn');
    assert.match(
      r.summary,
      /^Could not tell whether this Mac is Intel or Apple Silicon: `sysctl hw\.optional\.arm64` could not run and `sysctl sysctl\.proc_translated` could not run, and uname -m says x86_64/,
    );
    assert.doesNotMatch(r.summary, /Intel Mac \(/);
  });

  it('sysctl timed out: the same, never "Intel"', async () => {
    const r = (await replay(sysctlTimedOut(d)))('mac.cpu');
    assert.equal(r.status, 'warn');
    assert.match(r.summary, /`sysctl hw\.optional\.arm64` timed out and `sysctl sysctl\.proc_translated` timed out/);
  });

  it('native Apple Silicon with an x86_64 dlv: fail, and the fix reinstalls dlv', async () => {
    const r = (await replay(appleSiliconWithIntelDlv(d)))('mac.cpu');
    assert.equal(r.status, 'fail');
    assert.match(r.summary, /dlv at ~\/go\/bin\/dlv is built for x86_64, but this is an Apple Silicon Mac \(arm64\)/);
    assert.equal(r.fixes[0]!.action, 'installDlv');
  });
});
