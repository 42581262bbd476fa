import assert from 'node:assert/strict';
import { chmodSync, lstatSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { planLaunchFiles, writePlannedFiles } from '../../../src/core/launch/files';
import { LiveHost } from '../../../src/core/probes/host';
import { tempDir, writeFile } from '../../helpers';
import { InputError } from '../../../src/core/io/errors';

// launch --write on a real workspace (real go list): the user's launch.json keeps its identity.

function workspace(): string {
  const folder = tempDir('gdd-identity-');
  writeFile(path.join(folder, 'go.mod'), 'module example.com/id\n\ngo 1.21\n');
  writeFile(path.join(folder, 'main.go'), 'package main\n\nfunc main() {}\n');
  return folder;
}

const plan = (folder: string) =>
  planLaunchFiles({ host: new LiveHost(), folder, go: 'go', dlvPath: '/x/dlv', dlvVersion: '1.27.2', kinds: ['launch'] });

describe('launch --write keeps the file identity', () => {
  it('BOM, CRLF, mode 0600 and a symlinked launch.json: all kept; only text is inserted', async () => {
    const folder = workspace();
    const shared = writeFile(path.join(folder, 'shared', 'launch.json'), '');
    const original = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from(
        '{\r\n  // mine\r\n  "version": "0.2.0",\r\n  "configurations": [\r\n    { "name": "Mine", "type": "go", "request": "launch", "program": "é" }\r\n  ]\r\n}\r\n',
      ),
    ]);
    writeFileSync(shared, original);
    chmodSync(shared, 0o600);
    writeFile(path.join(folder, '.vscode', '.keep'), '');
    symlinkSync(shared, path.join(folder, '.vscode', 'launch.json'));
    await writePlannedFiles(await plan(folder));
    assert.ok(lstatSync(path.join(folder, '.vscode', 'launch.json')).isSymbolicLink(), 'still a link');
    const after = readFileSync(shared);
    assert.deepEqual(after.subarray(0, 3), Buffer.from([0xef, 0xbb, 0xbf]), 'BOM kept');
    assert.equal(statSync(shared).mode & 0o777, 0o600, 'mode kept');
    const text = after.subarray(3).toString('utf8');
    assert.doesNotMatch(text.replace(/\r\n/g, ''), /\n/, 'CRLF throughout');
    let i = 0;
    const before = original.subarray(3).toString('utf8');
    for (const c of text) if (c === before[i]) i++;
    assert.equal(i, before.length, 'every original character kept, in order');
  });
  it('bytes that are not UTF-8: refused, file unchanged', async () => {
    const folder = workspace();
    const bytes = Buffer.from('{"version": "0.2.0", "configurations": [], "x": "\xff\xfe"}', 'latin1');
    writeFileSync(writeFile(path.join(folder, '.vscode', 'launch.json'), ''), bytes);
    await assert.rejects(plan(folder), (err) => err instanceof InputError && /not valid UTF-8 text; not changing it/.test(err.message));
    assert.deepEqual(readFileSync(path.join(folder, '.vscode', 'launch.json')), bytes);
  });
  it('a save made while the plan was shown is not overwritten', async () => {
    const folder = workspace();
    const file = writeFile(path.join(folder, '.vscode', 'launch.json'), '{"version": "0.2.0", "configurations": []}\n');
    const planned = await plan(folder);
    writeFileSync(file, '{"version": "0.2.0", "configurations": [], "saved": "meanwhile"}\n');
    await assert.rejects(writePlannedFiles(planned), /changed on disk while this ran/);
    assert.match(readFileSync(file, 'utf8'), /meanwhile/);
    assert.deepEqual(
      readdirSync(path.dirname(file)).filter((f) => f.endsWith('.tmp')),
      [],
    );
  });
});
