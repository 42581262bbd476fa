import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { realDarwinDlv, replay, type DarwinDlv } from '../../fixtures/mac-machines';
import { firewallBlocksAll } from '../../fixtures/mac-scenarios';
import { tempDir } from '../../helpers';

describe('mac.firewall on replayed real Mac outputs', () => {
  let d: DarwinDlv;
  before(async () => {
    d = await realDarwinDlv(tempDir('gdd-mac-'), 'v1.21.2', 'auto', 'dlv-old');
  });

  it('the firewall blocks all incoming connections: a warning that ties it to where dlv listens', async () => {
    const r = (await replay(firewallBlocksAll(d)))('mac.firewall');
    assert.equal(r.status, 'warn');
    assert.match(r.summary, /blocks all incoming connections.*127\.0\.0\.1/);
  });
});
