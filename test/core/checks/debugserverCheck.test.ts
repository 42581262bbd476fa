import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { realDarwinDlv, replay, type DarwinDlv } from '../../fixtures/mac-machines';
import { noCommandLineTools, xcodeGone } from '../../fixtures/mac-scenarios';
import { tempDir } from '../../helpers';

describe('mac.debugserver on replayed real Mac outputs', () => {
  let d: DarwinDlv;
  before(async () => {
    d = await realDarwinDlv(tempDir('gdd-mac-'), 'v1.21.2', 'auto', 'dlv-old');
  });

  it("no Command Line Tools and no Xcode selected: no debugserver, with Delve's own words and the fix", async () => {
    const r = (await replay(noCommandLineTools(d)))('mac.debugserver');
    assert.equal(r.status, 'fail');
    assert.match(r.summary, /no Command Line Tools or Xcode is selected/);
    assert.match(r.detail!, /debugserver or lldb-server not found/);
    assert.equal(r.fixes[0]!.command, 'xcode-select --install');
  });

  it('xcode-select names an Xcode that is gone: fail, with the reset command to copy (never run)', async () => {
    const r = (await replay(xcodeGone(d)))('mac.debugserver');
    assert.equal(r.status, 'fail');
    assert.match(r.summary, /xcode-select points at \/Applications\/Xcode\.app\/Contents\/Developer, which does not exist/);
    assert.ok(r.fixes.some((f) => f.command === 'sudo xcode-select --reset'));
  });
});
