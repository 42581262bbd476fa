import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { delveBlockers } from '../../../src/core/checks/delveReadiness';
import type { CheckResult } from '../../../src/core/checks/types';

const row = (id: string, status: CheckResult['status'], summary: string): CheckResult => ({
  id,
  title: id,
  status,
  summary,
  evidence: [],
  fixes: [],
  durationMs: 0,
});

describe('which failures a pinned dlv repairs (F5 offer and Set Up Debugging)', () => {
  it('no dlv, a Delve that refuses this Go, a pre-DWARF-5 build: each blocks, in that order, with one sentence', () => {
    const blockers = delveBlockers([
      row(
        'compat.dwarf5',
        'fail',
        'dlv was built with go1.24.3, but go1.26.8 writes DWARF 5, which Delve reads correctly only when built with Go 1.25 or newer.',
      ),
      row('compat.delveGo', 'fail', 'Delve 1.21.2 cannot debug programs built by go1.26.8: Delve 1.21.2 supports Go 1.19 to 1.21.'),
      row('tools.dlv', 'fail', 'dlv was not found where the Go extension looks for it (go.alternateTools.dlv, GOBIN, PATH).'),
    ]);
    assert.deepEqual(
      blockers.map((b) => b.headline),
      [
        'Delve (dlv) is not installed where the Go extension looks.',
        'Delve 1.21.2 cannot debug programs built by go1.26.8.',
        'dlv was built with go1.24.3, but go1.26.8 writes DWARF 5, which Delve reads correctly only when built with Go 1.25 or newer.',
      ],
    );
  });

  it('failures a new dlv does not repair (the Mac, the workspace, gopls) and warnings never trigger the offer', () => {
    assert.deepEqual(
      delveBlockers([
        row('mac.devtools', 'fail', 'Developer mode is off.'),
        row('workspace.go', 'fail', 'go.mod needs go1.27.'),
        row('tools.gopls', 'fail', 'gopls was not found.'),
        row('compat.delveGo', 'warn', 'Delve 1.28.0 is newer than the data.'),
        row('tools.dlv', 'pass', 'Delve 1.27.2 at /x/dlv.'),
      ]),
      [],
    );
  });
});
