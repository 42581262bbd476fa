import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { realDarwinDlv, replay as replayMac, type DarwinDlv } from '../../fixtures/mac-machines';
import { go125Program } from '../../fixtures/mac-scenarios';
import { replay, row } from '../../fixtures/recorded-machines';
import { tempDir } from '../../helpers';

describe('compatibility checks on recorded machines', () => {
  it('dlv v1.21.2: Delve refuses Go 1.26, and the fix installs exactly the recommended Delve', async () => {
    const report = await replay('linux-dlv-too-old');
    const compat = row(report, 'compat.delveGo');
    assert.equal(compat.status, 'fail');
    assert.match(compat.summary, /Delve 1\.21\.2 cannot debug programs built by go1\.26/);
    const install = compat.fixes[0]!;
    assert.equal(install.action, 'installDlv');
    assert.equal(install.command, 'go install github.com/go-delve/delve/cmd/dlv@v1.27.2');
    assert.deepEqual(install.data, { dlvVersion: '1.27.2' }, 'the panel installs 1.27.2 instead of opening the picker');
    assert.equal(row(report, 'profile').status, 'pass');
  });

  it('dlv v1.26.3 built with go1.24.13: supports Go 1.26 but cannot read its DWARF 5', async () => {
    const report = await replay('linux-dlv-dwarf4');
    assert.equal(row(report, 'compat.delveGo').status, 'pass');
    const dwarf = row(report, 'compat.dwarf5');
    assert.equal(dwarf.status, 'fail');
    assert.match(dwarf.summary, /built with go1\.24\.13/);
  });
});

describe('compatibility checks on replayed real Mac outputs', () => {
  let d: DarwinDlv;
  before(async () => {
    d = await realDarwinDlv(tempDir('gdd-mac-'), 'v1.26.3', 'go1.24.13', 'dlv-dwarf4');
  });

  it('a Go 1.25 program (go.mod, GOTOOLCHAIN=auto) with a dlv built by Go 1.24: the DWARF 5 row fails, from the Mach-O itself', async () => {
    const row = await replayMac(go125Program(d));
    assert.match(row('workspace.go').summary, /go1\.25\.0/);
    assert.equal(row('compat.delveGo').status, 'pass');
    const r = row('compat.dwarf5');
    assert.equal(r.status, 'fail');
    assert.match(r.summary, /dlv was built with go1\.24\.13/);
    assert.match(r.evidence[0]!.value, /build information in ~\/go\/bin\/dlv/);
  });
});
