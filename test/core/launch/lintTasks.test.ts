import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lintTasksJson } from '../../../src/core/launch/lintTasks';

const BAD_TASKS = `{
  "version": "2.0.0",
  "tasks": [
    { "label": "dlv all interfaces", "type": "shell", "command": "dlv debug --headless --listen=:2345 --continue" },
    { "label": "dlv api v1", "type": "process", "command": "/home/me/go/bin/dlv", "args": ["exec", "./bin/app", "--headless", "--listen", "0.0.0.0:4000", "--api-version=1"] },
    { "label": "build", "type": "shell", "command": "go build ./..." }
  ]
}
`;

describe('lint of tasks.json', () => {
  it('headless dlv tasks: all interfaces, API v1, --continue without --accept-multiclient', () => {
    const findings = lintTasksJson(BAD_TASKS, { file: 'tasks.json', dlvVersion: '1.23.1' });
    assert.deepEqual(
      findings.map((f) => `${f.line} ${f.rule} ${f.severity}`),
      [
        '4 non-loopback warning',
        '4 api-version warning', // Delve 1.23.1 still defaults to API v1
        '4 continue-multiclient error',
        '5 non-loopback warning',
        '5 api-version warning',
      ],
    );
    assert.match(findings[0]!.message, /all interfaces \(:2345\).*--listen=127\.0\.0\.1:2345/);
    const modern = lintTasksJson(BAD_TASKS, { file: 'tasks.json', dlvVersion: '1.27.2' });
    assert.equal(modern.filter((f) => f.rule === 'api-version').length, 1, 'from 1.24.0 only an explicit --api-version=1 is wrong');
  });
});
