import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CheckResult } from '../../../src/core/checks/types';
import { escapeMarkdown, statusTooltip, statusView } from '../../../src/vscode/health/statusText';

function check(id: string, status: CheckResult['status'], fixes: CheckResult['fixes'] = []): CheckResult {
  return { id, title: `Check ${id}`, status, summary: `${id} says (1.2).`, evidence: [], fixes, durationMs: 0 };
}

describe('status bar text (pure logic behind the VS Code item)', () => {
  it('quiet while all is well, spinning before the first result, an outline when never checked', () => {
    assert.deepEqual(statusView({ checks: [check('a', 'pass'), check('b', 'skip')], running: false }), {
      text: '$(pass) Go debug',
      label: 'Go debug health: all checks pass',
    });
    assert.equal(statusView({ checks: [], running: true }).text, '$(sync~spin) Go debug');
    assert.deepEqual(statusView({ checks: [], running: false }), {
      text: '$(circle-outline) Go debug',
      label: 'Go debug health: not checked yet',
    });
  });

  it('errors count as failing and win over warnings; a re-run keeps the last result shown', () => {
    const checks = [check('a', 'fail'), check('b', 'error'), check('c', 'warn')];
    assert.deepEqual(statusView({ checks, running: true }), {
      text: '$(error) Go debug: 2',
      background: 'error',
      label: 'Go debug health: 2 failing',
    });
    assert.deepEqual(statusView({ checks: [check('c', 'warn')], running: false }), {
      text: '$(warning) Go debug: 1',
      background: 'warning',
      label: 'Go debug health: 1 warnings',
    });
  });

  it('tooltip: what needs a look with its first fix, escaped; links only to the panel and a re-run', () => {
    const md = statusTooltip({
      checks: [check('ok', 'pass'), check('bad', 'fail', [{ label: 'Install Delve 1.27.2' }])],
      running: false,
      error: 'boom [x]',
    });
    assert.match(md, /^\*\*Go Debug Doctor could not finish:\*\* boom \\\[x\\\]/);
    assert.match(md, /\$\(error\) \*\*Check bad\*\*: bad says \\\(1\\\.2\\\)\\\. {2}\n&nbsp;&nbsp;Fix: Install Delve 1\\\.27\\\.2/);
    assert.doesNotMatch(md, /Check ok/);
    const links = [...md.matchAll(/\(command:([\w.]+)\)/g)].map((m) => m[1]);
    assert.deepEqual(links, ['goDebugDoctor.showPanel', 'goDebugDoctor.runChecks']);
    // Delve is what fails: the one action that repairs it is a link.
    const dlv = statusTooltip({ checks: [check('tools.dlv', 'fail')], running: false });
    assert.deepEqual(
      [...dlv.matchAll(/\(command:([\w.]+)\)/g)].map((m) => m[1]),
      ['goDebugDoctor.setUp', 'goDebugDoctor.showPanel', 'goDebugDoctor.runChecks'],
    );
    assert.match(statusTooltip({ checks: [check('ok', 'pass')], running: false }), /every check passes/);
    assert.match(statusTooltip({ checks: [], running: true }), /^Checking the Go debugging chain…/);
  });

  it('escapes every Markdown character a summary may hold', () => {
    assert.equal(escapeMarkdown('a*b_c`d[e](f)#!|<>'), 'a\\*b\\_c\\`d\\[e\\]\\(f\\)\\#\\!\\|\\<\\>');
  });
});
