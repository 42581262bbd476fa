import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LiveHost } from '../../../src/core/probes/host';
import { resolveConfiguration } from '../../../src/core/verify/config';
import { attachArguments, launchArguments } from '../../../src/core/verify/dapArguments';
import { tempDir, writeFile } from '../../helpers';

describe('the launch and attach requests verify sends, as the Go extension would', () => {
  it('program relative to the folder dlv starts in; the binary in our own folder, never the workspace', async () => {
    const ws = tempDir('gdd-args-');
    writeFile(`${ws}/go.mod`, 'module example.com/a\n\ngo 1.22\n');
    writeFile(`${ws}/main.go`, 'package main\n\nfunc main() {}\n');
    const host = new LiveHost();
    const folder = await resolveConfiguration(
      { name: 'F', type: 'go', request: 'launch', mode: 'debug', program: '${workspaceFolder}', args: ['-v'] },
      { host, folder: ws },
    );
    const file = await resolveConfiguration(
      { name: 'M', type: 'go', request: 'launch', mode: 'debug', program: '${workspaceFolder}/main.go' },
      { host, folder: ws },
    );
    const test = await resolveConfiguration(
      { name: 'T', type: 'go', request: 'launch', mode: 'test', program: '${workspaceFolder}' },
      { host, folder: ws },
    );
    assert.equal(launchArguments(folder, '/tmp/out').program, '.');
    assert.deepEqual(launchArguments(folder, '/tmp/out').args, ['-v']);
    assert.equal(launchArguments(file, '/tmp/out').program, './main.go');
    assert.equal(launchArguments(folder, '/tmp/out').output, '/tmp/out/verify.bin');
    assert.equal(launchArguments(test, '/tmp/out').output, '/tmp/out/verify.test');
    assert.equal(launchArguments(folder, '/tmp/out').stopOnEntry, false);
  });

  it('attach in mode remote carries substitutePath and nothing that would start a process', async () => {
    const ws = tempDir('gdd-args-');
    const remote = await resolveConfiguration(
      {
        name: 'R',
        type: 'go',
        request: 'attach',
        mode: 'remote',
        host: '127.0.0.1',
        port: 2345,
        substitutePath: [{ from: '${workspaceFolder}', to: '/app' }],
      },
      { host: new LiveHost(), folder: ws },
    );
    const args = attachArguments(remote);
    assert.deepEqual(args.substitutePath, [{ from: ws, to: '/app' }]);
    assert.equal(args.mode, 'remote');
    assert.ok(!('program' in args) && !('processId' in args));
  });
});
