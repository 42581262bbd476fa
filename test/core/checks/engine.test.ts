import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runChecks } from '../../../src/core/checks/engine';
import type { Check } from '../../../src/core/checks/types';

describe('check engine', () => {
  it('a throwing check becomes an error result; the others still run', async () => {
    const checks: Check<null>[] = [
      {
        id: 'a',
        title: 'A',
        run: async () => {
          throw new Error('boom');
        },
      },
      { id: 'b', title: 'B', run: async () => ({ status: 'pass', summary: 'ok' }) },
    ];
    const [a, b] = await runChecks(checks, null);
    assert.equal(a!.status, 'error');
    assert.match(a!.summary, /boom/);
    assert.equal(b!.status, 'pass');
  });
  it('a check whose prerequisite fails is skipped and says why', async () => {
    const ran: string[] = [];
    const checks: Check<null>[] = [
      { id: 'dep', title: 'Dependent', requires: ['base'], run: async () => (ran.push('dep'), { status: 'pass', summary: 'x' }) },
      { id: 'base', title: 'Base', run: async () => ({ status: 'fail', summary: 'missing' }) },
    ];
    const [dep] = await runChecks(checks, null);
    assert.equal(dep!.status, 'skip');
    assert.match(dep!.summary, /"Base"/);
    assert.deepEqual(ran, []);
  });
  it('independent checks run at the same time', async () => {
    let active = 0;
    let most = 0;
    const checks: Check<null>[] = Array.from({ length: 5 }, (_, i) => ({
      id: `c${i}`,
      title: `C${i}`,
      run: async () => {
        active++;
        most = Math.max(most, active);
        for (let t = 0; t < 5; t++) await new Promise((r) => setImmediate(r));
        active--;
        return { status: 'pass' as const, summary: '' };
      },
    }));
    await runChecks(checks, null);
    assert.equal(most, 5);
  });

  it('skips a check made for other platforms with one reason, without running it or what it requires', async () => {
    let ran = 0;
    const checks: Check<null>[] = [
      { id: 'base', title: 'Base', run: async () => (ran++, { status: 'fail' as const, summary: 'no' }) },
      {
        id: 'mac',
        title: 'Mac only',
        platforms: ['darwin'],
        requires: ['base'],
        run: async () => (ran++, { status: 'pass' as const, summary: '' }),
      },
      {
        id: 'unix',
        title: 'Mac or Linux',
        platforms: ['darwin', 'linux'],
        run: async () => (ran++, { status: 'pass' as const, summary: 'ran' }),
      },
    ];
    const [, mac, unix] = await runChecks(checks, null, { platform: 'linux' });
    assert.deepEqual([mac!.status, mac!.summary], ['skip', 'macOS only; this machine runs linux.']);
    assert.deepEqual([unix!.status, unix!.summary], ['pass', 'ran']);
    assert.equal(ran, 2);
    const [, onWindows] = await runChecks(checks, null, { platform: 'win32' });
    assert.equal(onWindows!.summary, 'macOS only; this machine runs win32.');
  });
});
