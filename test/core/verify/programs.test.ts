import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ResolvedConfig } from '../../../src/core/verify/config';
import { programsRunBy } from '../../../src/core/verify/programs';

const config = (extra: Partial<ResolvedConfig>): ResolvedConfig => ({
  name: 'L',
  request: 'launch',
  mode: 'debug',
  buildDir: '/ws',
  args: [],
  env: {},
  dlvFlags: [],
  logFlags: [],
  substitutePath: [],
  raw: {},
  notes: [],
  ...extra,
});

describe('programsRunBy: what a configuration makes run besides go and dlv (issue 22)', () => {
  it('nothing for an ordinary configuration', () => {
    assert.deepEqual(
      programsRunBy(config({ buildFlags: "-tags=integration -ldflags='-X main.v=1'", dlvFlags: ['--check-go-version=false'] })),
      [],
    );
    assert.deepEqual(programsRunBy(config({ env: { GOFLAGS: '-mod=mod', FOO: 'bar' } })), []);
  });

  it('go build flags that run programs, in every spelling', () => {
    for (const buildFlags of ['-toolexec=/tmp/x', '-toolexec /tmp/x', '--toolexec=/tmp/x', "-tags=a -toolexec='/tmp/x --y'"])
      assert.match(programsRunBy(config({ buildFlags })).join('\n'), /^buildFlags -toolexec \/tmp\/x/, buildFlags);
    assert.match(programsRunBy(config({ buildFlags: ['-exec', '/tmp/wrap'] }))[0]!, /^buildFlags -exec \/tmp\/wrap runs the built program/);
    assert.match(programsRunBy(config({ buildFlags: '-compiler=gccgo' }))[0]!, /runs gccgo/);
    assert.match(programsRunBy(config({ buildFlags: "-ldflags='-extld=/tmp/ld'" }))[0]!, /-extld runs another linker/);
    assert.match(programsRunBy(config({ env: { GOFLAGS: '-toolexec=/tmp/x' } }))[0]!, /^env\.GOFLAGS -toolexec \/tmp\/x/);
  });

  it('a C compiler named in env, and dlv flags that run or write', () => {
    assert.deepEqual(programsRunBy(config({ env: { CC: '/tmp/cc' } })), ['env.CC=/tmp/cc runs that program when cgo builds']);
    const dlv = programsRunBy(config({ dlvFlags: ['--init', '/tmp/script', '--log-dest=/home/me/.bashrc', '--backend=rr'] }));
    assert.deepEqual(dlv, [
      "dlvFlags --init /tmp/script runs that file's Delve commands",
      "dlvFlags --log-dest /home/me/.bashrc writes Delve's log to that file",
      'dlvFlags --backend=rr runs rr',
    ]);
    assert.match(programsRunBy(config({ dlvFlags: ['--build-flags=-toolexec=/tmp/x'] }))[0]!, /^dlvFlags --build-flags -toolexec/);
  });
});
