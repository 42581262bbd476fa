import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { realDarwinDlv, replay, type DarwinDlv } from '../../fixtures/mac-machines';
import { nativeBackend, quarantinedDlv } from '../../fixtures/mac-scenarios';
import { tempDir } from '../../helpers';

describe('mac.signature and mac.quarantine on replayed real Mac outputs', () => {
  let d: DarwinDlv;
  before(async () => {
    d = await realDarwinDlv(tempDir('gdd-mac-'), 'v1.21.2', 'auto', 'dlv-old');
  });

  it('a quarantined dlv: fail, with the xattr command to copy', async () => {
    const r = (await replay(quarantinedDlv(d)))('mac.quarantine');
    assert.equal(r.status, 'fail');
    assert.match(r.summary, /quarantined \(downloaded by Firefox\)/);
    assert.equal(r.fixes[0]!.command, "xattr -d com.apple.quarantine '~/go/bin/dlv'");
  });

  it('an unsigned go-installed dlv with --backend=native: fail, pointing at the default backend', async () => {
    const r = (await replay(nativeBackend(d)))('mac.signature');
    assert.equal(r.status, 'fail');
    assert.match(r.summary, /built without macnative and not certificate-signed/);
    assert.match(r.fixes[0]!.label, /default backend/);
  });
});
