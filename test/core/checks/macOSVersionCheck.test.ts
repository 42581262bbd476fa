import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { realDarwinDlv, replay, type DarwinDlv } from '../../fixtures/mac-machines';
import { olderMacOS } from '../../fixtures/mac-scenarios';
import { tempDir } from '../../helpers';

describe('mac.os on replayed real Mac outputs', () => {
  let d: DarwinDlv;
  before(async () => {
    d = await realDarwinDlv(tempDir('gdd-mac-'), 'v1.21.2', 'auto', 'dlv-old');
  });

  it('macOS older than the Go in use supports (10.13.6 with Go 1.21, which needs 10.15): fail', async () => {
    const r = (await replay(olderMacOS(d)))('mac.os');
    assert.equal(r.status, 'fail');
    assert.match(r.summary, /Go 1\.21 needs macOS 10\.15 Catalina or newer; this Mac runs macOS 10\.13\.6/);
  });
});
