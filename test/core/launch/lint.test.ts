import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { parse as parseJsonc } from 'jsonc-parser';
import { LiveHost } from '../../../src/core/probes/host';
import { planLaunchFiles, writePlannedFiles } from '../../../src/core/launch/files';
import { applyTextEdits, lintLaunchJson, lintTasksJson } from '../../../src/core/launch/lint';
import { tempDir, writeFile } from '../../helpers';

/** The mistakes users copy from blog posts, one per configuration. */
const BAD_LAUNCH = `{
  "version": "0.2.0",
  "configurations": [
    {
      "name": "Blog post",
      "type": "go",
      "request": "launch",
      "mode": "debug",
      "program": "\${workspaceFolder}",
      // copied from a 2020 tutorial
      "dlvLoadConfig": { "maxStringLen": 1000 },
      "buildFlags": "-tags=dev -gcflags='all=-N -l'",
      "stopOnEntri": true
    },
    {
      "name": "Remote box",
      "type": "go",
      "request": "attach",
      "mode": "remote",
      "host": "0.0.0.0",
      "port": 2345
    },
    {
      "name": "Tuned",
      "type": "go",
      "request": "launch",
      "program": ".",
      "maxStringLen": 4096,
      "dlvFlags": ["--listen=:2345", "--backend=lldb"],
      "backend": "default",
      "dlvToolPath": "/usr/local/bin/dlv",
      "preLaunchTask": "go: build package"
    },
    {
      "name": "Legacy",
      "type": "go",
      "request": "launch",
      "debugAdapter": "legacy",
      "program": ".",
      "hideSystemGoroutines": true
    },
    { "name": "Node app", "type": "node", "request": "launch", "whatever": 1 }
  ]
}
`;

const BAD_TASKS = `{
  "version": "2.0.0",
  "tasks": [
    { "label": "dlv all interfaces", "type": "shell", "command": "dlv debug --headless --listen=:2345 --continue" },
    { "label": "dlv api v1", "type": "process", "command": "/home/me/go/bin/dlv", "args": ["exec", "./bin/app", "--headless", "--listen", "0.0.0.0:4000", "--api-version=1"] },
    { "label": "build", "type": "shell", "command": "go build ./..." }
  ]
}
`;

describe('lint of launch.json and tasks.json', () => {
  it('flags every bad pattern, each with a reason (and a fix where one is safe)', async () => {
    const findings = await lintLaunchJson(BAD_LAUNCH, {
      file: 'launch.json',
      dlvVersion: '1.26.3',
      taskLabels: [],
      reachable: async () => false,
    });
    const got = findings.map((f) => `${f.line} ${f.rule}`);
    assert.deepEqual(got, [
      '11 ignored-by-adapter', // dlvLoadConfig under dlv-dap
      '13 unknown-attribute', // stopOnEntri
      '12 gcflags',
      '20 non-loopback',
      // no remote-no-server for 0.0.0.0:2345: lint never connects beyond loopback, so it cannot know
      '28 dlv-too-old', // maxStringLen with Delve 1.26.3
      '31 overwritten-attribute', // dlvToolPath
      '29 dlvflags-conflict', // --listen
      '29 dlvflags-conflict', // --backend twice
      '40 ignored-by-adapter', // hideSystemGoroutines under legacy
    ]);
    const byRule = (rule: string) => findings.find((f) => f.rule === rule)!;
    assert.match(
      byRule('unknown-attribute').message,
      /"stopOnEntri" is not an attribute .*golang\.go 0\.58\.0-dev manifest.*did you mean "stopOnEntry"\?/,
    );
    assert.match(byRule('ignored-by-adapter').message, /read only by the legacy adapter.*dlv-dap \(the default\)/);
    for (const f of findings) assert.ok(f.message.length > 20 && !f.message.includes('\n'), f.rule);
  });

  it("quick fixes remove exactly the offending text and nothing of the user's", async () => {
    const findings = await lintLaunchJson(BAD_LAUNCH, { file: 'launch.json', dlvVersion: '1.27.2' });
    const fixable = findings.filter((f) => f.fix);
    assert.deepEqual(fixable.map((f) => f.rule).sort(), [
      'gcflags',
      'ignored-by-adapter',
      'ignored-by-adapter',
      'overwritten-attribute',
      'unknown-attribute',
    ]);
    const fixed = applyTextEdits(
      BAD_LAUNCH,
      fixable.flatMap((f) => f.fix!.edits),
    );
    const value = parseJsonc(fixed) as { configurations: Record<string, unknown>[] };
    assert.equal(value.configurations[0]!.buildFlags, '-tags=dev');
    assert.equal('dlvLoadConfig' in value.configurations[0]!, false);
    assert.equal('stopOnEntri' in value.configurations[0]!, false);
    assert.ok(fixed.includes('// copied from a 2020 tutorial'), 'comments stay');
    const again = await lintLaunchJson(fixed, { file: 'launch.json', dlvVersion: '1.27.2' });
    assert.deepEqual(
      again.filter((f) => f.fix),
      [],
    );
  });

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

  it('malformed files are one syntax finding at the right line', async () => {
    const [f] = await lintLaunchJson('{\n  "configurations": [\n    { "name": "x" "type": "go" }\n  ]\n}', { file: 'launch.json' });
    assert.equal(f?.rule, 'syntax');
    assert.equal(f?.line, 3);
  });

  it('generated files are clean (real go list, real generation)', async () => {
    const folder = path.join(tempDir('gdd-lint-'), 'app');
    writeFile(path.join(folder, 'go.mod'), 'module example.com/app\n\ngo 1.21\n');
    writeFile(path.join(folder, 'cmd/app/main.go'), 'package main\n\nfunc main() {}\n');
    writeFile(path.join(folder, 'cmd/app/main_test.go'), 'package main\n\nimport "testing"\n\nfunc TestX(t *testing.T) {}\n');
    for (const [preset, adapter, dlvVersion] of [
      ['fast', 'dlv-dap', '1.27.2'],
      ['deep', 'dlv-dap', '1.26.3'],
      ['deep', 'legacy', '1.27.2'],
    ] as const) {
      const plan = await planLaunchFiles({
        host: new LiveHost(),
        folder,
        go: 'go',
        dlvPath: '/x/dlv',
        dlvVersion,
        preset,
        adapter,
        policy: 'replace',
      });
      await writePlannedFiles(plan);
      const tasks = readFileSync(path.join(folder, '.vscode/tasks.json'), 'utf8');
      const labels = (parseJsonc(tasks) as { tasks: { label: string }[] }).tasks.map((t) => t.label);
      const launchFindings = await lintLaunchJson(readFileSync(path.join(folder, '.vscode/launch.json'), 'utf8'), {
        file: 'launch.json',
        dlvVersion,
        taskLabels: labels,
      });
      assert.deepEqual(launchFindings, [], `${preset}/${adapter}/${dlvVersion}`);
      assert.deepEqual(lintTasksJson(tasks, { file: 'tasks.json', dlvVersion }), []);
    }
  });
});
