import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import profiles from '../../../src/core/knowledge/profiles.json';
import { LiveHost } from '../../../src/core/probes/host';
import {
  BACKENDS,
  OptionError,
  parseBackend,
  parseProfile,
  parseTimeoutMs,
  PROFILE_IDS,
  resolveOptions,
} from '../../../src/core/session/options';
import { Session, withPinnedDlv } from '../../../src/core/session/session';
import { tempDir } from '../../helpers';

describe('session options: parsed and validated once', () => {
  it('profiles come from profiles.json, plus recommended; custom only where its pins come along', () => {
    assert.deepEqual(PROFILE_IDS, ['recommended', ...profiles.profiles.map((p) => p.id)]);
    assert.equal(parseProfile('golden-triangle'), 'golden-triangle');
    assert.throws(
      () => parseProfile('custom'),
      (e: unknown) => e instanceof OptionError && /unknown profile "custom" \(recommended, golden-triangle\)/.test(e.message),
    );
    assert.equal(parseProfile('custom', true), 'custom');
  });

  it('backends, with the one-line message the CLI prints', () => {
    assert.deepEqual([...BACKENDS], ['default', 'native', 'lldb', 'rr']);
    assert.equal(parseBackend(undefined), undefined);
    assert.throws(() => parseBackend('gdb'), { message: 'unknown backend "gdb" (default, native, lldb, rr)' });
  });

  it('the probe timeout takes whole milliseconds in range', () => {
    assert.equal(parseTimeoutMs('2500'), 2500);
    for (const bad of ['soon', '99', '600001', '1.5']) assert.throws(() => parseTimeoutMs(bad), OptionError);
  });

  it('defaults fill what is left out; a session hands the same options to its memoised facts', () => {
    assert.deepEqual(resolveOptions({}), { trusted: true, settings: {}, timeoutMs: 10_000, profile: 'recommended', backend: 'default' });
    const session = new Session(new LiveHost(), { backend: 'native', workspace: '/w' });
    assert.equal(session.facts, session.facts, 'one Facts per session');
    assert.equal(session.facts.backend, 'native');
    assert.equal(session.workspace, '/w');
    assert.notEqual(session.withHost(new LiveHost()).facts, session.facts, 'another host gathers its own facts');
    assert.throws(() => new Session(new LiveHost(), { backend: 'gdb' as never }), OptionError);
  });

  it('the CLI rule for dlv: the one named, else the pinned one when installed, else none added', async () => {
    const home = tempDir('gdd-home-');
    const host = new LiveHost({ ...process.env, HOME: home, XDG_DATA_HOME: '' });
    assert.deepEqual(await withPinnedDlv(host, { workspace: '/w' }), { workspace: '/w' });
    assert.deepEqual(await withPinnedDlv(host, { settings: { alternateTools: { go: '/go' } } }, '/my/dlv'), {
      settings: { alternateTools: { go: '/go', dlv: '/my/dlv' } },
    });
  });
});
