import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  compareMacOS,
  parseCodesignVerify,
  parseDevToolsSecurity,
  parseFirewallGlobal,
  parseGroups,
  parseOnOff,
  parseProductVersion,
  parseQuarantine,
  parseSysctl,
  parseXcodeSelect,
} from '../../../src/core/facts/macParsers';
import * as mac from '../../fixtures/mac-outputs';

describe('macOS parsers on real outputs', () => {
  it('sw_vers -productVersion, three releases', () => {
    assert.equal(parseProductVersion(mac.SW_VERS_PRODUCT_10_13_6.stdout), '10.13.6');
    assert.equal(parseProductVersion(mac.SW_VERS_PRODUCT_14_2_1.stdout), '14.2.1');
    assert.equal(parseProductVersion(mac.SW_VERS_PRODUCT_12_7_4.stdout), '12.7.4');
    assert.ok(compareMacOS('10.13.6', '10.15') < 0 && compareMacOS('12.7.4', '12') > 0 && compareMacOS('13', '13.0') === 0);
  });
  it('sysctl: "name: value", a long listing, and the unknown-oid error of an Intel Mac', () => {
    assert.equal(parseSysctl(mac.SYSCTL_TRANSLATED_NATIVE.stdout, 'sysctl.proc_translated'), '0');
    assert.equal(parseSysctl(mac.SYSCTL_TRANSLATED_ROSETTA.stdout, 'sysctl.proc_translated'), '1');
    assert.equal(parseSysctl(mac.SYSCTL_HW_OPTIONAL_M1.stdout, 'hw.optional.arm64'), '1');
    assert.equal(parseSysctl(mac.SYSCTL_TRANSLATED_INTEL.stdout, 'sysctl.proc_translated'), undefined);
    assert.equal(parseSysctl('1\n', 'hw.optional.arm64'), '1');
  });
  it('xcode-select -p: a path, or nothing when none is set', () => {
    assert.equal(parseXcodeSelect(mac.XCODE_SELECT_XCODE.stdout), '/Applications/Xcode.app/Contents/Developer');
    assert.equal(parseXcodeSelect(mac.XCODE_SELECT_UNSET.stdout), undefined);
  });
  it('groups: _developer is found', () => {
    assert.ok(parseGroups(mac.GROUPS_WITH_DEVELOPER.stdout).includes('_developer'));
  });
  it('codesign --verify: unsigned and invalid', () => {
    assert.equal(parseCodesignVerify(mac.CODESIGN_UNSIGNED.stderr, 1), 'unsigned');
    assert.equal(parseCodesignVerify(mac.CODESIGN_VERIFY_INVALID.stderr, 1), 'invalid');
    assert.equal(parseCodesignVerify('', 0), 'valid');
  });
  it('xattr: a quarantine value (xattr -l form) and "No such xattr"', () => {
    assert.deepEqual(parseQuarantine(mac.XATTR_QUARANTINE_LEGACY.stdout, '', 0), {
      state: 'quarantined',
      value: '0000;485e5e65;Firefox;|org.mozilla.firefox',
      agent: 'Firefox',
    });
    assert.equal(parseQuarantine(mac.XATTR_NO_SUCH.stdout, mac.XATTR_NO_SUCH.stderr, 1).state, 'clear');
  });
  it('socketfilterfw: states 0, 1 and 2 in old and new wording, block-all and stealth', () => {
    const [off, on] = mac.FW_GLOBAL_0_AND_1.stdout.split('\n');
    assert.equal(parseFirewallGlobal(off!), 'off');
    assert.equal(parseFirewallGlobal(on!), 'on');
    assert.equal(parseFirewallGlobal(mac.FW_BLOCKING_ALL.stdout), 'block-all');
    const kolide = mac.FW_KOLIDE_STATE2.stdout.split('\n');
    assert.equal(parseFirewallGlobal(kolide[0]!), 'block-all');
    assert.equal(parseOnOff(kolide[1]!), 'disabled');
    assert.equal(parseOnOff(mac.FW_STEALTH_OLD.stdout), 'enabled');
  });
  it('DevToolsSecurity: matched by its stable words only', () => {
    assert.equal(parseDevToolsSecurity('something else'), 'unrecognised');
  });
  it('never throw on any text', () => {
    fc.assert(
      fc.property(fc.string(), fc.integer({ min: -1, max: 255 }), (t, code) => {
        parseSysctl(t, 'x.y');
        parseProductVersion(t);
        parseXcodeSelect(t);
        parseDevToolsSecurity(t);
        parseGroups(t);
        parseQuarantine(t, t, code);
        parseFirewallGlobal(t);
        parseOnOff(t);
        parseCodesignVerify(t, code);
      }),
    );
  });
});
