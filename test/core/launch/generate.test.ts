import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parse as parseJsoncValue } from 'jsonc-parser';
import { LiveHost } from '../../../src/core/probes/host';
import attributes from '../../../src/core/knowledge/goDebugAttributes.json';
import { unifiedDiff } from '../../../src/core/launch/diff';
import { planLaunchFiles, writePlannedFiles } from '../../../src/core/launch/files';
import { generateConfigurations, type JsonObject } from '../../../src/core/launch/generate';
import { mergeEntries, objectsAt, parseJsonc } from '../../../src/core/launch/merge';
import { tempDir, writeFile } from '../../helpers';
import { JsoncFileError } from '../../../src/core/io/errors';

const MAIN = 'package main\n\nfunc main() {}\n';
const LIB = 'package lib\n\nfunc A() int { return 1 }\n';
const TEST = (pkg: string) => `package ${pkg}\n\nimport "testing"\n\nfunc TestA(t *testing.T) {}\n`;
const VSCODE_ATTRIBUTES = new Set([
  'name',
  'type',
  'request',
  'preLaunchTask',
  'postDebugTask',
  'internalConsoleOptions',
  'debugServer',
  'presentation',
  'serverReadyAction',
]);

/** Sample workspaces, written as real modules; `go list` runs on them for real. */
const SAMPLES: Record<string, { files: Record<string, string>; launches: string[]; tests: string[]; kind: string }> = {
  'single main with tests': {
    files: { 'go.mod': 'module example.com/single\n\ngo 1.21\n', 'main.go': MAIN, 'main_test.go': TEST('main') },
    launches: ['Launch ws'],
    tests: ['Test ws'],
    kind: 'modules',
  },
  'several commands under cmd/': {
    files: {
      'go.mod': 'module example.com/multi\n\ngo 1.21\n',
      'cmd/api/main.go': MAIN,
      'cmd/worker/main.go': MAIN,
      'internal/lib/lib.go': LIB,
      'internal/lib/lib_test.go': TEST('lib'),
    },
    launches: ['Launch cmd/api', 'Launch cmd/worker'],
    tests: ['Test internal/lib'],
    kind: 'modules',
  },
  'go.work with two modules': {
    files: {
      'go.work': 'go 1.21\n\nuse (\n\t./app\n\t./lib\n)\n',
      'app/go.mod': 'module example.com/app\n\ngo 1.21\n',
      'app/main.go': MAIN,
      'lib/go.mod': 'module example.com/lib\n\ngo 1.21\n',
      'lib/lib.go': LIB,
      'lib/lib_test.go': TEST('lib'),
    },
    launches: ['Launch app'],
    tests: ['Test lib'],
    kind: 'go.work',
  },
  'two modules side by side, no go.work': {
    files: {
      'svc/go.mod': 'module example.com/svc\n\ngo 1.21\n',
      'svc/main.go': MAIN,
      'tools/go.mod': 'module example.com/tools\n\ngo 1.21\n',
      'tools/gen/main.go': MAIN,
      'tools/gen/gen_test.go': TEST('main'),
    },
    launches: ['Launch svc', 'Launch tools/gen'],
    tests: ['Test tools/gen'],
    kind: 'modules',
  },
};

function sample(files: Record<string, string>): string {
  const dir = path.join(tempDir('gdd-launch-'), 'ws');
  for (const [f, text] of Object.entries(files)) writeFile(path.join(dir, f), text);
  return dir;
}

const host = new LiveHost({ ...process.env, GOFLAGS: '' });
const plan = (folder: string, extra: Partial<Parameters<typeof planLaunchFiles>[0]> = {}) =>
  planLaunchFiles({ host, folder, go: 'go', dlvPath: '/opt/dlv', dlvVersion: '1.27.2', ...extra });

describe('generated debug configurations (real go list on sample modules)', () => {
  for (const [title, s] of Object.entries(SAMPLES)) {
    it(`${title}: valid, complete, loopback only, and idempotent`, async () => {
      const folder = sample(s.files);
      const first = await plan(folder);
      assert.equal(first.workspace.kind, s.kind);
      assert.deepEqual(first.workspace.problems, []);
      await writePlannedFiles(first);
      const launch = parseJsoncValue(readFileSync(path.join(folder, '.vscode/launch.json'), 'utf8')) as {
        version: string;
        configurations: JsonObject[];
      };
      const tasks = parseJsoncValue(readFileSync(path.join(folder, '.vscode/tasks.json'), 'utf8')) as {
        version: string;
        tasks: JsonObject[];
      };
      assert.equal(launch.version, '0.2.0');
      assert.equal(tasks.version, '2.0.0');
      const names = launch.configurations.map((c) => c.name as string);
      const remotes = s.launches.map((l) => l.replace('Launch ', 'Connect to headless dlv: '));
      assert.deepEqual(names, [...s.launches, ...s.tests, 'Test current package', 'Attach to local process', ...remotes]);
      for (const c of launch.configurations) {
        const known = attributes[c.request as 'launch' | 'attach'] as Record<string, string>;
        for (const key of Object.keys(c))
          assert.ok(key in known || VSCODE_ATTRIBUTES.has(key), `${c.name as string}: ${key} is an attribute of the Go debugger`);
        assert.ok(!('dlvLoadConfig' in c), 'no legacy-only knob under dlv-dap');
        assert.ok(!JSON.stringify(c.buildFlags ?? '').includes('gcflags'));
        if (typeof c.program === 'string' && c.program !== '${fileDirname}') {
          assert.ok(existsSync(c.program.replace('${workspaceFolder}', folder)), `${c.program} exists`);
        }
        if (c.mode === 'remote') {
          assert.equal(c.host, '127.0.0.1');
          const task = tasks.tasks.find((t) => t.label === c.preLaunchTask);
          assert.ok(task, `${c.name as string} has its task`);
          assert.ok((task.args as string[]).includes(`--listen=127.0.0.1:${c.port as number}`));
          assert.equal(task.command, '/opt/dlv');
        }
      }
      assert.equal(tasks.tasks.length, s.launches.length);
      for (const t of tasks.tasks) assert.ok(!(t.args as string[]).some((a) => /--listen=(:|0\.0\.0\.0|\[::\])/.test(a)));

      const second = await plan(folder);
      for (const f of second.files) {
        assert.equal(f.result.changed, false, `${f.kind}: a second run changes nothing`);
        assert.deepEqual(f.result.clashes, []);
        assert.equal(f.result.unchanged.length, f.kind === 'launch' ? names.length : tasks.tasks.length);
        assert.equal(f.diff, '');
      }
    });
  }

  it('the knobs follow the dlv: maxStringLen only from Delve 1.27.1, dlvLoadConfig only for legacy', async () => {
    const pkg = { importPath: 'x', dir: '/x', rel: '.', isMain: true, hasTests: false };
    const of = async (dlvVersion: string | undefined, adapter: 'dlv-dap' | 'legacy' = 'dlv-dap', preset: 'fast' | 'deep' = 'fast') =>
      (
        await generateConfigurations({
          folderName: 'x',
          packages: [pkg],
          kinds: ['launch'],
          ...(dlvVersion ? { dlvVersion } : {}),
          adapter,
          preset,
        })
      ).configurations[0]!;
    assert.equal((await of('1.27.2')).maxStringLen, 256);
    assert.equal((await of('1.27.1', 'dlv-dap', 'deep')).maxArrayValues, 512);
    assert.equal((await of('1.27.0')).maxStringLen, undefined);
    assert.equal((await of(undefined)).maxStringLen, undefined);
    const legacy = await of('1.27.2', 'legacy');
    assert.deepEqual(legacy.dlvLoadConfig, {
      followPointers: true,
      maxVariableRecurse: 1,
      maxStringLen: 256,
      maxArrayValues: 32,
      maxStructFields: -1,
    });
    assert.equal(legacy.debugAdapter, 'legacy');
    assert.equal(legacy.stackTraceDepth, undefined);
  });

  it('a malformed launch.json is reported at its line and nothing is written', async () => {
    const folder = sample(SAMPLES['single main with tests']!.files);
    const broken = '{\n  "version": "0.2.0",\n  "configurations": [\n    { "name": "mine" "type": "go" }\n  ]\n}\n';
    writeFile(path.join(folder, '.vscode/launch.json'), broken);
    await assert.rejects(
      plan(folder),
      (err: unknown) => err instanceof JsoncFileError && err.line === 4 && /comma expected/.test(err.message),
    );
    assert.equal(readFileSync(path.join(folder, '.vscode/launch.json'), 'utf8'), broken);
    assert.equal(existsSync(path.join(folder, '.vscode/tasks.json')), false);
  });
});

const OURS: JsonObject[] = [
  { name: 'Launch api', type: 'go', request: 'launch', mode: 'debug', program: '${workspaceFolder}/cmd/api' },
  { name: 'Attach to local process', type: 'go', request: 'attach', mode: 'local', processId: 0 },
];

/** Real-world shapes: what people keep in launch.json. */
const MESSY: Record<string, string> = {
  'comments and trailing commas': `{
  // Use IntelliSense to learn about possible attributes.
  "version": "0.2.0",
  /* my own */
  "configurations": [
    {
      "name": "Mine", // keep me
      "type": "go",
      "request": "launch",
      "program": "\${file}",
    },
  ],
}
`,
  'tabs and CRLF':
    '{\r\n\t"version": "0.2.0",\r\n\t"configurations": [\r\n\t\t{\r\n\t\t\t"name": "Mine",\r\n\t\t\t"type": "go",\r\n\t\t\t"request": "launch"\r\n\t\t}\r\n\t]\r\n}\r\n',
  'compounds and inputs': `{
    "version": "0.2.0",
    "inputs": [{ "id": "port", "type": "promptString", "description": "Port" }],
    "configurations": [{ "name": "Mine", "type": "node", "request": "launch", "program": "\${workspaceFolder}/x.js" }],
    "compounds": [{ "name": "Both", "configurations": ["Mine", "Launch api"] }]
}`,
  'no configurations key': '{ "version": "0.2.0" }\n',
  'empty array on one line': '{"version":"0.2.0","configurations":[]}',
  'an empty file': '',
};

function isSubsequence(small: string, big: string): boolean {
  let i = 0;
  for (let j = 0; j < big.length && i < small.length; j++) if (small[i] === big[j]) i++;
  return i === small.length;
}

describe('merging into launch.json keeps every user byte', () => {
  for (const [title, text] of Object.entries(MESSY)) {
    it(title, () => {
      const merged = mergeEntries(text, 'launch', OURS);
      assert.deepEqual(merged.added, ['Launch api', 'Attach to local process']);
      assert.ok(isSubsequence(text, merged.text), 'only insertions: nothing of the original changed or moved');
      const value = parseJsoncValue(merged.text) as { configurations: JsonObject[]; compounds?: unknown; inputs?: unknown };
      const before = parseJsoncValue(text || '{}') as { configurations?: JsonObject[]; compounds?: unknown; inputs?: unknown };
      assert.deepEqual(value.configurations, [...(before.configurations ?? []), ...OURS]);
      assert.deepEqual(value.compounds, before.compounds);
      assert.deepEqual(value.inputs, before.inputs);
      if (text.includes('\r\n')) assert.ok(!/[^\r]\n/.test(merged.text), 'CRLF stays CRLF');
      if (text.includes('\t')) assert.ok(merged.text.includes('\t\t\t"name": "Launch api"'), 'tabs stay tabs');
      const again = mergeEntries(merged.text, 'launch', OURS);
      assert.equal(again.changed, false);
      assert.deepEqual(again.unchanged, ['Launch api', 'Attach to local process']);
    });
  }

  it('a name that exists with other content is not overwritten unless asked', () => {
    const text =
      '{\n  "configurations": [\n    { "name": "Launch api", "type": "go", "request": "launch", "program": "./mine" } // mine\n  ]\n}\n';
    const skipped = mergeEntries(text, 'launch', OURS);
    assert.deepEqual(skipped.clashes, ['Launch api']);
    assert.ok(isSubsequence(text, skipped.text) && skipped.text.includes('"program": "./mine" }, // mine'));
    const renamed = mergeEntries(text, 'launch', OURS, 'rename');
    assert.deepEqual(renamed.renamed, ['Launch api (2)']);
    assert.ok(isSubsequence(text, renamed.text));
    const replaced = mergeEntries(text, 'launch', OURS, 'replace');
    assert.deepEqual(replaced.replaced, ['Launch api']);
    assert.ok(replaced.text.includes('// mine'), 'the comment beside the replaced entry survives');
    assert.equal(
      (parseJsoncValue(replaced.text) as { configurations: JsonObject[] }).configurations[0]!.program,
      '${workspaceFolder}/cmd/api',
    );
  });

  it('files that are not a launch.json object are refused with a position', () => {
    assert.throws(() => mergeEntries('[1, 2]', 'launch', OURS), /must hold one JSON object/);
    assert.throws(
      () => mergeEntries('{ "configurations": {} }', 'launch', OURS),
      (e: unknown) => e instanceof JsoncFileError && /must be an array/.test(e.message) && e.column === 21,
    );
    assert.throws(() => mergeEntries('{ "configurations": [ }', 'launch', OURS), JsoncFileError);
  });

  it('property: for any user launch.json, merging only inserts, keeps user entries, and is idempotent', () => {
    const userConfig = fc
      .record({
        name: fc.string({ minLength: 1, maxLength: 12 }).filter((n) => !OURS.some((o) => o.name === n)),
        type: fc.constantFrom('go', 'node', 'python'),
        request: fc.constantFrom('launch', 'attach'),
        extra: fc.option(fc.jsonValue({ maxDepth: 2 }), { nil: undefined }),
      })
      .map((c) => Object.fromEntries(Object.entries(c).filter(([, v]) => v !== undefined)));
    const layout = fc.record({
      indent: fc.constantFrom('  ', '    ', '\t'),
      eol: fc.constantFrom('\n', '\r\n'),
      trailingComma: fc.boolean(),
      comments: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.uniqueArray(userConfig, { selector: (c) => c.name, maxLength: 5 }), layout, (configs, l) => {
        const entries = configs.map((c) => `${l.indent}${l.indent}${JSON.stringify(c)}${l.comments ? ' // user note' : ''}`);
        const body = entries
          .map((e, i) => (i < entries.length - 1 || l.trailingComma ? e.replace(/( \/\/ user note)?$/, ',$1') : e))
          .join(l.eol);
        const text = `{${l.eol}${l.comments ? `${l.indent}/* header */${l.eol}` : ''}${l.indent}"version": "0.2.0",${l.eol}${l.indent}"configurations": [${l.eol}${body}${body ? l.eol : ''}${l.indent}]${l.eol}}${l.eol}`;
        const merged = mergeEntries(text, 'launch', OURS);
        assert.ok(isSubsequence(text, merged.text));
        // Read back as the product reads launch.json (objectsAt keeps a "__proto__" key, which
        // jsonc-parser's parse() drops: fast-check found one). The file holds the configs as JSON
        // wrote them (-0 becomes 0): compare with that.
        const read = objectsAt(parseJsonc(merged.text), 'configurations').map((o) => o.value);
        assert.deepEqual(read, [...(JSON.parse(JSON.stringify(configs)) as unknown[]), ...OURS]);
        assert.equal(mergeEntries(merged.text, 'launch', OURS).changed, false);
      }),
      {
        numRuns: 300,
        examples: [
          [
            [{ name: ' ', type: 'go', request: 'launch', extra: JSON.parse('{"__proto__": false}') as JsonObject }],
            { indent: '  ', eol: '\n', trailingComma: false, comments: false },
          ],
        ],
      },
    );
  });

  it('the dry-run diff shows exactly the inserted lines', () => {
    const before = '{\n  "configurations": [\n    { "name": "Mine" }\n  ]\n}\n';
    const merged = mergeEntries(before, 'launch', [OURS[1]!]);
    const diff = unifiedDiff(before, merged.text, '.vscode/launch.json');
    const removed = diff.split('\n').filter((l) => l.startsWith('-') && !l.startsWith('---'));
    assert.deepEqual(removed, ['-    { "name": "Mine" }'], 'the line that gains a comma');
    assert.ok(diff.includes('+      "name": "Attach to local process",'));
    assert.match(unifiedDiff('', '{}\n', 'x'), /^--- \/dev\/null\n\+\+\+ x\n@@ -0,0 \+1,1 @@\n\+\{\}\n$/);
  });
});
