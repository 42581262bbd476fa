import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planDlvInstall, type DlvRequest, type PlanContext } from '../../../src/core/install/plan';
import { parseGoVersion } from '../../../src/core/facts/versions';

const go = (v: string) => parseGoVersion(v)!;
const ctx = (program: string, local: string, force = false): PlanContext => ({ programGo: go(program), localGo: go(local), force });
const plan = (request: DlvRequest, c: PlanContext) => {
  const r = planDlvInstall(request, c);
  assert.ok(r.ok, !r.ok ? r.reason : '');
  return r.plan;
};

describe('choosing the dlv to install and the Go that builds it', () => {
  it('recommended: the newest Delve for the workspace Go, built by the local go when it can', () => {
    const p = plan({ kind: 'recommended' }, ctx('go1.26.8', 'go1.26.8'));
    assert.equal(p.version, 'v1.27.2');
    assert.equal(p.gotoolchain, 'local');
    assert.deepEqual(p.warnings, []);
    const old = plan({ kind: 'recommended' }, ctx('go1.21.5', 'go1.26.8'));
    assert.equal(old.version, 'v1.25.0', 'the newest Delve that still accepts Go 1.21 (1.25.0 takes 1.21 to 1.24)');
  });

  it('says why truthfully: a version asked for by the panel fix that is the recommended one is not "the version you pinned"', () => {
    assert.equal(plan({ kind: 'version', version: '1.27.2' }, ctx('go1.26.8', 'go1.26.8')).why, 'the newest Delve that debugs Go 1.26');
    assert.equal(plan({ kind: 'version', version: 'v1.26.3' }, ctx('go1.26.8', 'go1.26.8')).why, 'the version you asked for');
  });

  it('a local go older than the build needs is replaced through GOTOOLCHAIN with the newest patch of the minimum', () => {
    const p = plan({ kind: 'recommended' }, ctx('go1.26.0', 'go1.24.13'));
    assert.equal(p.version, 'v1.27.2');
    assert.equal(p.gotoolchain, 'go1.25.14');
    assert.match(p.toolchainNote, /DWARF 5.*fetches go1\.25\.14 through the module proxy/);
    // Delve 1.26.3 itself builds with Go 1.24, but a Go 1.25 program needs a dlv built with 1.25.
    assert.equal(plan({ kind: 'version', version: '1.26.3' }, ctx('go1.25.3', 'go1.24.13')).gotoolchain, 'go1.25.14');
    assert.equal(plan({ kind: 'version', version: '1.26.3' }, ctx('go1.24.3', 'go1.24.13')).gotoolchain, 'local');
  });

  it('refuses a pin that cannot debug the workspace Go, naming the alternative; --force overrides', () => {
    const r = planDlvInstall({ kind: 'version', version: 'v1.21.2' }, ctx('go1.26.2', 'go1.26.2'));
    assert.ok(!r.ok);
    assert.match(r.reason, /Delve v1\.21\.2 cannot debug programs built with go1\.26\.2: Delve 1\.21\.2 accepts Go 1\.19 to 1\.21/);
    assert.match(r.alternative!, /Delve v1\.27\.2 .*install-dlv --recommended/);
    const forced = plan({ kind: 'version', version: 'v1.21.2' }, ctx('go1.26.2', 'go1.26.2', true));
    assert.match(forced.warnings[0]!, /Installed anyway \(--force\)/);
  });

  it('profiles and unknown versions', () => {
    assert.equal(plan({ kind: 'profile', profile: 'golden-triangle' }, ctx('go1.21.5', 'go1.26.8')).version, 'v1.21.2');
    assert.equal(plan({ kind: 'profile', profile: 'recommended' }, ctx('go1.26.8', 'go1.26.8')).version, 'v1.27.2');
    const unknownProfile = planDlvInstall({ kind: 'profile', profile: 'nope' }, ctx('go1.26.8', 'go1.26.8'));
    assert.ok(!unknownProfile.ok && /Unknown profile "nope" \(known: recommended, golden-triangle\)/.test(unknownProfile.reason));
    const future = plan({ kind: 'version', version: '1.99.0' }, ctx('go1.26.8', 'go1.24.13'));
    assert.equal(future.gotoolchain, 'go1.25.14+auto', 'its go.mod may ask for more; +auto lets the go command follow it');
    assert.match(future.warnings[0]!, /newer than our data/);
    const bad = planDlvInstall({ kind: 'version', version: 'latest' }, ctx('go1.26.8', 'go1.26.8'));
    assert.ok(!bad.ok && /not a Delve version/.test(bad.reason));
  });

  it('a go too old to switch toolchains is told to upgrade', () => {
    const r = planDlvInstall({ kind: 'recommended' }, ctx('go1.26.0', 'go1.20.14'));
    assert.ok(!r.ok);
    assert.match(r.reason, /too old to fetch another toolchain \(that needs Go 1\.21\)/);
  });

  it('on macOS, a configuration that asks for the native backend is told that a go install build has none', () => {
    const mac = plan({ kind: 'recommended' }, { ...ctx('go1.26.8', 'go1.26.8'), platform: 'darwin', backend: 'native' });
    assert.match(mac.warnings[0]!, /native backend disabled during compilation.*Use the default backend/);
    assert.deepEqual(
      plan({ kind: 'recommended' }, { ...ctx('go1.26.8', 'go1.26.8'), platform: 'darwin', backend: 'default' }).warnings,
      [],
    );
    assert.deepEqual(plan({ kind: 'recommended' }, { ...ctx('go1.26.8', 'go1.26.8'), platform: 'linux', backend: 'native' }).warnings, []);
  });
});
