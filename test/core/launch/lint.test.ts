import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { parse as parseJsonc } from 'jsonc-parser';
import { LiveHost } from '../../../src/core/probes/host';
import { planLaunchFiles, writePlannedFiles } from '../../../src/core/launch/files';
import { lintLaunchJson } from '../../../src/core/launch/lint';
import { lintTasksJson } from '../../../src/core/launch/lintTasks';
import { BAD_LAUNCH } from '../../fixtures/launch-json';
import { tempDir, writeFile } from '../../helpers';

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
