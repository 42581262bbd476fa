import assert from 'node:assert/strict';
import { chmodSync, lstatSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'jsonc-parser';
import { planFix, writeFix } from '../../../src/core/verify/fix';
import type { VerifyFix } from '../../../src/core/verify/result';
import { tempDir, writeFile } from '../../helpers';

const LAUNCH = `{
\t// keep me
\t"version": "0.2.0",
\t"configurations": [
\t\t{
\t\t\t"name": "A", // trailing comment
\t\t\t"type": "go",
\t\t\t"request": "launch",
\t\t\t"program": "\${workspaceFolder}",
\t\t},
\t\t{ "name": "B", "type": "go", "request": "launch", "program": ".", "buildFlags": "-trimpath -tags=x", "env": { "FOO": "1" }, "substitutePath": [{ "from": "/a", "to": "/b" }] }
\t]
}
`;

const subst: VerifyFix = { label: 's', attribute: 'substitutePath', value: [{ from: '${workspaceFolder}', to: '/app' }], automatic: true };
const tags: VerifyFix = { label: 't', attribute: 'buildFlags', value: '-tags=integration', automatic: true };
const goos: VerifyFix = { label: 'g', attribute: 'env.GOOS', value: 'linux', automatic: true };

/** Every byte of the original is still there, in order: the edit only inserted text. */
function insertOnly(before: string, after: string) {
  let i = 0;
  for (const c of after) if (i < before.length && c === before[i]) i++;
  assert.equal(i, before.length, 'the original text survives as a subsequence');
}

describe('verify --fix: insert-only edits of one configuration', () => {
  it('adds new attributes to a multi-line configuration with tabs, a trailing comma and comments', () => {
    const plan = planFix(LAUNCH, 'A', [subst, tags, goos]);
    insertOnly(LAUNCH, plan.text);
    const a = (parse(plan.text) as { configurations: Record<string, unknown>[] }).configurations[0]!;
    assert.deepEqual(a.substitutePath, [{ from: '${workspaceFolder}', to: '/app' }]);
    assert.equal(a.buildFlags, '-tags=integration');
    assert.deepEqual(a.env, { GOOS: 'linux' });
    assert.match(plan.text, /\t\t\t"substitutePath": \[/);
    assert.deepEqual(
      plan.applied.map((f) => f.label),
      ['s', 't', 'g'],
    );
    // B untouched
    assert.ok(plan.text.includes(LAUNCH.split('\n').find((l) => l.includes('"name": "B"'))!));
    assert.equal(planFix(plan.text, 'A', [subst, tags, goos]).changed, false, 'a second run changes nothing');
  });

  it('extends what is there: an element at the end of substitutePath, a tag in -tags, a key in env', () => {
    const plan = planFix(LAUNCH, 'B', [subst, tags, goos]);
    insertOnly(LAUNCH, plan.text);
    const b = (parse(plan.text) as { configurations: Record<string, unknown>[] }).configurations[1]!;
    assert.deepEqual(b.substitutePath, [
      { from: '/a', to: '/b' },
      { from: '${workspaceFolder}', to: '/app' },
    ]);
    assert.equal(b.buildFlags, '-trimpath -tags=x,integration');
    assert.deepEqual(b.env, { FOO: '1', GOOS: 'linux' });
    assert.equal(planFix(plan.text, 'B', [subst, tags, goos]).changed, false);
  });

  it('never overwrites: a GOOS the user set, or a fix marked manual, is reported and left alone', () => {
    const text = LAUNCH.replace('"FOO": "1"', '"GOOS": "windows"');
    const plan = planFix(text, 'B', [goos, { ...tags, automatic: false }]);
    assert.equal(plan.changed, false);
    assert.deepEqual(
      plan.manual.map((f) => f.label),
      ['g', 't'],
    );
  });

  it('an array buildFlags gets its own element; the diff names launch.json', () => {
    const text = '{"configurations":[{"name":"C","type":"go","request":"launch","program":".","buildFlags":["-race"]}]}';
    const plan = planFix(text, 'C', [tags]);
    assert.deepEqual((parse(plan.text) as { configurations: { buildFlags: string[] }[] }).configurations[0]!.buildFlags, [
      '-race',
      '-tags=integration',
    ]);
    assert.match(plan.diff, /^--- \.vscode\/launch\.json/m);
  });

  it('writes through a symbolic link to its target and keeps the file mode', async () => {
    const dir = tempDir('gdd-verify-fix-');
    const target = writeFile(path.join(dir, 'shared', 'launch.json'), LAUNCH);
    chmodSync(target, 0o640);
    const link = path.join(dir, '.vscode', 'launch.json');
    writeFile(path.join(dir, '.vscode', 'placeholder'), '');
    symlinkSync(target, link);
    const plan = planFix(LAUNCH, 'A', [subst]);
    await writeFix(link, plan);
    assert.ok(lstatSync(link).isSymbolicLink(), 'the link stays a link');
    assert.equal(readlinkSync(link), target);
    assert.equal(readFileSync(target, 'utf8'), plan.text);
    assert.equal(statSync(target).mode & 0o777, 0o640);
  });

  it('refuses to write when launch.json was saved after the fix was planned: the save wins', async () => {
    const file = writeFile(path.join(tempDir('gdd-verify-fix-'), '.vscode', 'launch.json'), LAUNCH);
    const plan = planFix(LAUNCH, 'A', [subst]);
    const saved = LAUNCH.replace('"configurations"', '// saved meanwhile\n  "configurations"');
    writeFileSync(file, saved);
    await assert.rejects(writeFix(file, plan), /changed while the fix was prepared; nothing was written/);
    assert.equal(readFileSync(file, 'utf8'), saved);
  });
});
