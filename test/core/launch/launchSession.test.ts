import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { parse as parseJsonc } from 'jsonc-parser';
import { DapClient } from '../../../src/core/dap/client';
import { LiveHost } from '../../../src/core/probes/host';
import { planLaunchFiles, portFree, writePlannedFiles } from '../../../src/core/launch/files';
import type { JsonObject } from '../../../src/core/launch/generate';
import { startServer } from '../../../src/core/probes/server';
import { tempDir, testTools, writeFile } from '../../helpers';

const PROGRAM = `package main

import (
	"fmt"
	"strings"
)

type Order struct {
	ID    int
	Items map[string]int
	Note  string
}

func main() {
	long := strings.Repeat("abcdefghij", 100)
	order := Order{ID: 7, Items: map[string]int{"apple": 3}, Note: "rush"}
	fmt.Println(len(long), order.ID)
}
`;
const BREAK_LINE = 17;

/** Addresses in LISTEN state for a TCP port, from /proc/net/tcp{,6} (hex, as the kernel writes them). */
function listeners(port: number): string[] {
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  const found: string[] = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const [, local, , state] = line.trim().split(/\s+/);
      if (local?.endsWith(`:${hex}`) && state === '0A') found.push(local.split(':')[0]!);
    }
  }
  return found;
}

describe('generated headless configuration, end to end against a real dlv over DAP', () => {
  it('the task starts dlv on loopback, the attach configuration connects, stops at a breakpoint and reads variables with the preset limits', async () => {
    const folder = path.join(tempDir('gdd-session-'), 'shop');
    writeFile(path.join(folder, 'go.mod'), 'module example.com/shop\n\ngo 1.26\n');
    writeFile(path.join(folder, 'main.go'), PROGRAM);
    const dlv = testTools()['dlv-new'];
    const plan = await planLaunchFiles({
      host: new LiveHost({ ...process.env, GOFLAGS: '' }),
      folder,
      go: 'go',
      dlvPath: dlv,
      dlvVersion: '1.27.2',
      preset: 'fast',
      kinds: ['remote'],
    });
    await writePlannedFiles(plan);
    const launch = parseJsonc(readFileSync(path.join(folder, '.vscode/launch.json'), 'utf8')) as { configurations: JsonObject[] };
    const tasks = parseJsonc(readFileSync(path.join(folder, '.vscode/tasks.json'), 'utf8')) as { tasks: JsonObject[] };
    const config = launch.configurations.find((c) => c.name === 'Connect to headless dlv: shop')!;
    const task = tasks.tasks.find((t) => t.label === config.preLaunchTask)!;
    assert.equal(config.maxStringLen, 256);

    // Run the task as VS Code would: its command and args, in its cwd, until the problem matcher's
    // endsPattern sees Delve's ready line.
    const ready = new RegExp(((task.problemMatcher as JsonObject).background as JsonObject).endsPattern as string);
    const server = await startServer([task.command as string, ...(task.args as string[])], {
      cwd: folder,
      ready,
      timeoutMs: 120_000,
      env: { ...process.env, GOFLAGS: '' },
    });
    let client: DapClient | undefined;
    try {
      const line = server.readyLine;
      assert.equal(line.trim(), `API server listening at: 127.0.0.1:${config.port as number}`);
      assert.deepEqual(listeners(config.port as number), ['0100007F'], 'listening on 127.0.0.1 only');

      client = await DapClient.connect(config.host as string, config.port as number);
      await client.request('initialize', {
        adapterID: 'go',
        clientID: 'go-debug-doctor',
        linesStartAt1: true,
        columnsStartAt1: true,
        pathFormat: 'path',
      });
      await client.request('attach', config);
      await client.waitForEvent('initialized');
      const bp = await client.request<DebugProtocol.SetBreakpointsResponse>('setBreakpoints', {
        source: { path: path.join(folder, 'main.go') },
        breakpoints: [{ line: BREAK_LINE }],
      });
      assert.equal(bp.body.breakpoints[0]?.verified, true, JSON.stringify(bp.body));
      await client.request('configurationDone');
      const stopped = await client.waitForEvent<DebugProtocol.StoppedEvent>('stopped', 60_000);
      assert.equal(stopped.body.reason, 'breakpoint');
      const stack = await client.request<DebugProtocol.StackTraceResponse>('stackTrace', { threadId: stopped.body.threadId, levels: 5 });
      const frame = stack.body.stackFrames[0]!;
      assert.equal(frame.line, BREAK_LINE);
      const scopes = await client.request<DebugProtocol.ScopesResponse>('scopes', { frameId: frame.id });
      const locals = scopes.body.scopes.find((s) => s.name === 'Locals')!;
      const vars = await client.request<DebugProtocol.VariablesResponse>('variables', { variablesReference: locals.variablesReference });
      const long = vars.body.variables.find((v) => v.name === 'long')!;
      // 1000 bytes, loaded up to the preset's maxStringLen (256; Delve's default would be 512).
      assert.match(long.value, /^"(abcdefghij)+abcdef\.\.\.\+744 more"$/, long.value);
      const order = vars.body.variables.find((v) => v.name === 'order')!;
      assert.match(order.value, /ID: 7/);
      const fields = await client.request<DebugProtocol.VariablesResponse>('variables', { variablesReference: order.variablesReference });
      assert.equal(fields.body.variables.find((v) => v.name === 'Note')?.value, '"rush"');
      await client.request('disconnect', { terminateDebuggee: true }, 15_000).catch(() => undefined);
    } finally {
      client?.close();
      await server.stop();
    }
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(await portFree(config.port as number), true, 'nothing left listening');
  });

  it('the generated Launch and Test configurations of a go.work workspace run as the Go extension runs them (dlv dap, launch request)', async () => {
    const folder = path.join(tempDir('gdd-session-'), 'mono');
    writeFile(path.join(folder, 'go.work'), 'go 1.26\n\nuse (\n\t./app\n\t./lib\n)\n');
    writeFile(path.join(folder, 'app/go.mod'), 'module example.com/app\n\ngo 1.26\n');
    writeFile(
      path.join(folder, 'app/main.go'),
      'package main\n\nimport "fmt"\n\nfunc main() {\n\tgreeting := "hello"\n\tfmt.Println(greeting)\n}\n',
    );
    writeFile(path.join(folder, 'lib/go.mod'), 'module example.com/lib\n\ngo 1.26\n');
    writeFile(path.join(folder, 'lib/lib.go'), 'package lib\n\nfunc Double(n int) int { return n * 2 }\n');
    writeFile(
      path.join(folder, 'lib/lib_test.go'),
      'package lib\n\nimport "testing"\n\nfunc TestDouble(t *testing.T) {\n\tgot := Double(21)\n\tif got != 42 {\n\t\tt.Fatal(got)\n\t}\n}\n',
    );
    const plan = await planLaunchFiles({
      host: new LiveHost({ ...process.env, GOFLAGS: '' }),
      folder,
      go: 'go',
      dlvPath: testTools()['dlv-new'],
      dlvVersion: '1.27.2',
      kinds: ['launch', 'test'],
    });
    await writePlannedFiles(plan);
    const launch = parseJsonc(readFileSync(path.join(folder, '.vscode/launch.json'), 'utf8')) as { configurations: JsonObject[] };
    const cases = [
      { name: 'Launch app', file: 'app/main.go', line: 7, variable: 'greeting', value: '"hello"' },
      { name: 'Test lib', file: 'lib/lib_test.go', line: 7, variable: 'got', value: '42' },
    ];
    for (const c of cases) {
      const config = launch.configurations.find((x) => x.name === c.name)!;
      assert.ok(config, c.name);
      // What the Go extension does for dlv-dap: start `dlv dap` on loopback and send it the configuration.
      const program = (config.program as string).replace('${workspaceFolder}', folder);
      const server = await startServer([testTools()['dlv-new'], 'dap', '--listen=127.0.0.1:0'], {
        cwd: program,
        ready: /^DAP server listening at: /,
        timeoutMs: 30_000,
        env: { ...process.env, GOFLAGS: '' },
      });
      const [host, port] = server.readyLine
        .replace(/^DAP server listening at: /, '')
        .trim()
        .split(/:(?=\d+$)/) as [string, string];
      const client = await DapClient.connect(host, Number(port));
      try {
        await client.request('initialize', {
          adapterID: 'go',
          clientID: 'go-debug-doctor',
          linesStartAt1: true,
          columnsStartAt1: true,
          pathFormat: 'path',
        });
        await client.request('launch', { ...config, program }, 120_000);
        await client.waitForEvent('initialized');
        const bp = await client.request<DebugProtocol.SetBreakpointsResponse>('setBreakpoints', {
          source: { path: path.join(folder, c.file) },
          breakpoints: [{ line: c.line }],
        });
        assert.equal(bp.body.breakpoints[0]?.verified, true, `${c.name}: ${JSON.stringify(bp.body)}`);
        await client.request('configurationDone');
        const stopped = await client.waitForEvent<DebugProtocol.StoppedEvent>('stopped', 60_000);
        const stack = await client.request<DebugProtocol.StackTraceResponse>('stackTrace', { threadId: stopped.body.threadId, levels: 1 });
        assert.equal(stack.body.stackFrames[0]!.line, c.line, c.name);
        const scopes = await client.request<DebugProtocol.ScopesResponse>('scopes', { frameId: stack.body.stackFrames[0]!.id });
        const vars = await client.request<DebugProtocol.VariablesResponse>('variables', {
          variablesReference: scopes.body.scopes[0]!.variablesReference,
        });
        assert.equal(vars.body.variables.find((v) => v.name === c.variable)?.value, c.value, c.name);
        await client.request('disconnect', { terminateDebuggee: true }, 15_000).catch(() => undefined);
      } finally {
        client.close();
        await server.stop();
      }
    }
  });
});
