import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CheckResult } from '../../../src/core/checks/types';
import { actionArguments } from '../../../src/vscode/actionArguments';
import { childrenOf, fixBehaviour, sectionOfCheck, topLevel } from '../../../src/vscode/health/tree';

const failing: CheckResult = {
  id: 'compat.delveGo',
  title: 'Delve supports this Go',
  status: 'fail',
  summary: 'too old',
  detail: 'first\n\nsecond',
  evidence: [{ label: 'dlv version', value: 'Version: 1.21.2\nBuild: x' }],
  fixes: [
    {
      label: 'Install Delve 1.27.2',
      command: 'go install github.com/go-delve/delve/cmd/dlv@v1.27.2',
      action: 'installDlv',
      data: { dlvVersion: '1.27.2' },
    },
    { label: 'Run it yourself', command: 'sudo DevToolsSecurity -enable' },
    { label: 'Read the notes' },
  ],
  sources: ['go-delve/delve@v1.27.2 pkg/goversion/compat.go'],
  durationMs: 0,
};

describe('health panel rows (pure logic behind the VS Code tree)', () => {
  it('a check expands to detail lines, fixes, then evidence and sources', () => {
    const top = childrenOf(undefined, [failing]);
    assert.deepEqual(top, [{ kind: 'check', check: failing }]);
    const children = childrenOf(top[0], [failing]);
    assert.deepEqual(
      children.map((n) =>
        n.kind === 'line' || n.kind === 'group' ? `${n.kind}:${n.label}` : n.kind === 'fix' ? `fix:${n.fix.label}` : n.kind,
      ),
      [
        'line:first',
        'line:second',
        'fix:Install Delve 1.27.2',
        'fix:Run it yourself',
        'fix:Read the notes',
        'group:Evidence',
        'group:Sources',
      ],
    );
    const evidence = childrenOf(children[5], [failing]);
    assert.deepEqual(evidence, [
      {
        kind: 'line',
        label: 'dlv version',
        description: 'Version: 1.21.2',
        tooltip: 'dlv version\nVersion: 1.21.2\nBuild: x',
        icon: 'output',
      },
    ]);
    assert.deepEqual(childrenOf(children[6], [failing]), [
      { kind: 'line', label: 'go-delve/delve@v1.27.2 pkg/goversion/compat.go', icon: 'book' },
    ]);
  });

  it('a safe action runs (after asking), a command is only copied, a note does nothing', () => {
    assert.deepEqual(fixBehaviour(failing.fixes[0]!), {
      contextValue: 'fix.action',
      command: { id: 'goDebugDoctor.runFix', title: 'Run Fix' },
    });
    assert.deepEqual(fixBehaviour(failing.fixes[1]!), {
      contextValue: 'fix.command',
      command: { id: 'goDebugDoctor.copyFixCommand', title: 'Copy Command' },
    });
    assert.deepEqual(fixBehaviour(failing.fixes[2]!), { contextValue: 'fix' });
  });

  it('the fix carries its data: "Install Delve 1.27.2" asks the installer for v1.27.2, a fix without a version opens the picker', () => {
    assert.deepEqual(actionArguments(failing.fixes[0]!), [{ kind: 'version', version: 'v1.27.2' }]);
    assert.deepEqual(actionArguments({ action: 'installDlv' }), []);
    assert.deepEqual(actionArguments({ action: 'runChecks', data: { dlvVersion: '1.27.2' } }), []);
  });

  it('problems first (failures, warnings, then skips), passing checks in one collapsed group, other systems on one line', () => {
    const row = (id: string, status: CheckResult['status'], applies?: false): CheckResult => ({
      id,
      title: id,
      status,
      summary: '',
      evidence: [],
      fixes: [],
      durationMs: 0,
      ...(applies === false ? { applies } : {}),
    });
    const checks = [
      row('tools.go', 'pass'),
      row('tools.gopls', 'warn'),
      row('compat.delveGo', 'skip'),
      row('tools.dlv', 'fail'),
      ...['mac.cpu', 'mac.os', 'mac.debugserver'].map((id) => row(id, 'skip', false)),
      row('env.go', 'pass'),
    ];
    const top = topLevel(checks);
    assert.deepEqual(
      top.map((n) => (n.kind === 'check' ? n.check.id : n.kind === 'section' ? n.label : n.kind)),
      ['tools.dlv', 'tools.gopls', 'compat.delveGo', '2 checks pass', '3 checks do not apply to this machine'],
    );
    assert.deepEqual(
      childrenOf(top[3], checks).map((n) => (n.kind === 'check' ? n.check.id : n.kind)),
      ['tools.go', 'env.go'],
    );
    assert.equal((sectionOfCheck(checks, 'env.go') as { label: string }).label, '2 checks pass');
    assert.equal(sectionOfCheck(checks, 'tools.dlv'), undefined);
    // Nothing to fix: the group says so.
    assert.deepEqual(
      topLevel([row('tools.go', 'pass'), row('env.go', 'pass')]).map((n) => (n.kind === 'section' ? n.label : n.kind)),
      ['All 2 checks pass'],
    );
  });
});
