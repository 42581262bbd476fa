import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { replay, row } from '../../fixtures/recorded-machines';

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
