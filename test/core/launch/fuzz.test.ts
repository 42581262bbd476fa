import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { lintLaunchJson } from '../../../src/core/launch/lint';
import { lintTasksJson, taskLabels } from '../../../src/core/launch/lintTasks';
import { mergeEntries, parseJsonc } from '../../../src/core/launch/merge';
import type { JsonObject } from '../../../src/core/launch/generate';
import { InputError, JsoncFileError } from '../../../src/core/io/errors';

// Hostile launch.json / tasks.json: random JSON-ish text, random values in every attribute, deep
// nesting, huge keys. Lint and merge answer with findings or a JsoncFileError: never another
// exception, never a connection beyond loopback, in bounded time.

const value = fc.letrec((tie) => ({
  v: fc.oneof(
    { depthSize: 'small' },
    fc.string(),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('v'), { maxLength: 3 }),
    fc.dictionary(fc.string(), tie('v'), { maxKeys: 3 }),
  ),
})).v;
const attribute = fc.constantFrom(
  'name',
  'type',
  'request',
  'mode',
  'host',
  'port',
  'program',
  'buildFlags',
  'dlvFlags',
  'preLaunchTask',
  'debugAdapter',
  'dlvLoadConfig',
  'substitutePath',
  'env',
  'args',
  'backend',
  'label',
  'command',
  '__proto__',
  'constructor',
  'x'.repeat(5000),
);
const configuration = fc.dictionary(
  attribute,
  fc.oneof(
    value,
    fc.constantFrom(
      'go',
      'attach',
      'remote',
      'launch',
      'dlv',
      '10.0.0.1',
      'example.com',
      '::1',
      99999,
      -1,
      Number.POSITIVE_INFINITY,
      2345.5,
      '--listen=0.0.0.0:2345',
    ),
  ),
  { maxKeys: 8 },
);
const file = fc.record(
  {
    version: fc.oneof(fc.constant('0.2.0'), value),
    configurations: fc.oneof(fc.array(configuration, { maxLength: 6 }), value),
    tasks: fc.oneof(fc.array(configuration, { maxLength: 6 }), value),
  },
  { requiredKeys: [] },
);
/** Valid JSON, JSON with its text cut or spliced, and plain noise. */
const text = fc.oneof(
  file.map((f) => JSON.stringify(f, null, 2)),
  fc.tuple(file, fc.nat(), fc.string()).map(([f, at, junk]) => {
    const t = JSON.stringify(f);
    const i = at % (t.length + 1);
    return t.slice(0, i) + junk + t.slice(i);
  }),
  fc.string({ unit: 'binary' }),
  fc.nat({ max: 3000 }).map((n) => '['.repeat(n) + ']'.repeat(n)),
);

function expected(err: unknown): boolean {
  return err instanceof JsoncFileError || err instanceof InputError;
}

describe('launch.json and tasks.json under fuzz', () => {
  it('lint: findings or nothing, never a crash; only loopback is ever probed', async () => {
    const probed: string[] = [];
    await fc.assert(
      fc.asyncProperty(text, async (t) => {
        const started = performance.now();
        const findings = await lintLaunchJson(t, {
          file: 'launch.json',
          dlvVersion: '1.21.2',
          taskLabels: taskLabels(t),
          reachable: async (host) => (probed.push(host), false),
        });
        findings.push(...lintTasksJson(t, { file: 'tasks.json' }));
        for (const f of findings)
          assert.ok(Number.isInteger(f.line) && f.line >= 1 && typeof f.message === 'string' && !f.message.includes('\n'));
        assert.ok(performance.now() - started < 5000);
      }),
      { numRuns: 300 },
    );
    for (const host of probed) assert.match(host, /^(127\.\d+\.\d+\.\d+|localhost|::1|\[::1\])$/, `probed ${host}`);
  });
  it('merge: the merged text parses and keeps the original bytes, or the file is refused', () => {
    const entry: JsonObject = { name: 'Launch', type: 'go', request: 'launch', mode: 'auto', program: '${workspaceFolder}' };
    fc.assert(
      fc.property(text, fc.constantFrom('skip', 'replace', 'rename') as fc.Arbitrary<'skip' | 'replace' | 'rename'>, (t, policy) => {
        let result;
        try {
          result = mergeEntries(t, 'launch', [entry], policy);
        } catch (err) {
          assert.ok(expected(err), `unexpected ${String(err)}`);
          return;
        }
        parseJsonc(result.text);
        if (policy !== 'replace' && t.trim()) {
          // Insert-only: deleting the inserted characters gives back the original.
          let i = 0;
          for (const c of result.text) if (c === t[i]) i++;
          assert.equal(i, t.length, 'every original character is still there, in order');
        }
      }),
      { numRuns: 300 },
    );
  });
  it('merge of 5,000 configurations into 5,000: each name once, a second run changes nothing', () => {
    const mine = Array.from({ length: 5000 }, (_, i) => ({ name: `mine ${i}`, type: 'go', request: 'launch', program: `./cmd/${i}` }));
    const ours: JsonObject[] = Array.from({ length: 5000 }, (_, i) => ({
      name: `ours ${i}`,
      type: 'go',
      request: 'launch',
      program: `./x/${i}`,
    }));
    const start = JSON.stringify({ version: '0.2.0', configurations: mine }, null, '\t');
    const once = mergeEntries(start, 'launch', ours);
    assert.equal(once.added.length, 5000);
    const parsed = JSON.parse(once.text) as { configurations: { name: string }[] };
    assert.equal(new Set(parsed.configurations.map((c) => c.name)).size, 10_000);
    assert.ok(once.text.startsWith(start.slice(0, start.lastIndexOf('}', start.lastIndexOf(']')) + 1)));
    const twice = mergeEntries(once.text, 'launch', ours);
    assert.equal(twice.changed, false);
    const renamed = mergeEntries(
      once.text,
      'launch',
      ours.map((o) => ({ ...o, program: 'other' })),
      'rename',
    );
    assert.deepEqual(renamed.renamed.slice(0, 2), ['ours 0 (2)', 'ours 1 (2)']);
    const replaced = mergeEntries(
      once.text,
      'launch',
      ours.slice(0, 3).map((o) => ({ ...o, program: 'other' })),
      'replace',
    );
    assert.equal(
      (JSON.parse(replaced.text) as { configurations: { program: string }[] }).configurations.filter((c) => c.program === 'other').length,
      3,
    );
  });
});
