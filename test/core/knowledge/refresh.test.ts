import assert from 'node:assert/strict';
import { existsSync, lstatSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { goModCacheDir } from '../../../src/core/knowledge/fromModuleCache';
import { refreshKnowledge, type KnowledgeFiles } from '../../../src/core/knowledge/refresh';
import { LiveHost } from '../../../src/core/probes/host';
import { runProcess } from '../../../src/core/probes/runProcess';
import { tempDir } from '../../helpers';

const DATA = path.resolve('src/core/knowledge');
const load = (): KnowledgeFiles => ({
  delve: JSON.parse(readFileSync(path.join(DATA, 'delve.json'), 'utf8')),
  gopls: JSON.parse(readFileSync(path.join(DATA, 'gopls.json'), 'utf8')),
  go: JSON.parse(readFileSync(path.join(DATA, 'go.json'), 'utf8')),
  dlvFlags: JSON.parse(readFileSync(path.join(DATA, 'dlvFlags.json'), 'utf8')),
});
const host = new LiveHost();
let gomodcache: string;
before(async () => {
  gomodcache = (await goModCacheDir(host, 30_000))!;
});

// Restricted to the module cache `npm test` filled (dlv v1.27.2, v1.21.2, v1.26.3, gopls v0.23.0): no network.
describe('knowledge:refresh (module cache only)', () => {
  it('reproduces the committed rows for the versions in the cache', async () => {
    const data = load();
    const result = await refreshKnowledge(data, { host, gomodcache, cacheOnly: true, today: '2000-01-01' });
    for (const v of ['1.27.2', '1.21.2', '1.26.3']) assert.ok(result.read.delve.includes(v), `read delve ${v}`);
    assert.ok(result.read.gopls.includes('0.23.0'));
    assert.deepEqual(
      result.changes.filter((c) => /delve|gopls/.test(c)),
      [],
    );
    assert.deepEqual(result.files.delve, data.delve);
    assert.deepEqual(result.files.gopls, data.gopls);
    // The flags of `dlv dap`, from cmd/dlv/cmds/commands.go of the same releases.
    assert.deepEqual(result.files.dlvFlags, data.dlvFlags);
    assert.ok(result.read.dlvFlags.includes('1.27.2'));
    assert.ok(data.dlvFlags.flags.some((f) => f.name === 'listen' && f.short === 'l'));
  });

  it('regenerates removed rows with the same facts and a source, and a second run changes nothing', async () => {
    const data = load();
    const strip = (rows: Array<{ version: string }>, v: string) =>
      rows.splice(
        rows.findIndex((r) => r.version === v),
        1,
      )[0];
    const delveRow = strip(data.delve.releases, '1.26.3') as unknown as Record<string, unknown>;
    const goplsRow = strip(data.gopls.releases, '0.23.0') as unknown as Record<string, unknown>;
    data.gopls.lastForGo = data.gopls.lastForGo.slice(0, 2);
    const first = await refreshKnowledge(data, { host, gomodcache, cacheOnly: true, today: '2000-01-01' });
    assert.ok(first.changes.includes('+ delve 1.26.3: Go 1.24..1.26, go.mod 1.24, DWARFv5 check true'), first.changes.join('\n'));
    assert.ok(first.changes.includes('+ gopls 0.23.0: go.mod 1.26.0'));
    assert.ok(first.changes.some((c) => c.startsWith('~ gopls lastForGo')));
    const again = first.files.delve.releases.find((r) => r.version === '1.26.3')!;
    for (const key of ['goMin', 'goMax', 'buildGo', 'dwarf5Check', 'date'] as const) assert.equal(again[key], delveRow[key], key);
    assert.match(again.source, /^module github\.com\/go-delve\/delve@v1\.26\.3 .*pkg\/goversion\/compat\.go, go\.mod$/);
    assert.equal(first.files.gopls.releases.find((r) => r.version === '0.23.0')!.buildGo, goplsRow.buildGo);
    assert.deepEqual(
      first.files.gopls.lastForGo.map(({ go, lastGopls }) => ({ go, lastGopls })),
      load().gopls.lastForGo.map(({ go, lastGopls }) => ({ go, lastGopls })),
    );
    assert.deepEqual(Object.keys(again), Object.keys(delveRow), 'same row shape');
    const second = await refreshKnowledge(first.files, { host, gomodcache, cacheOnly: true, today: '2000-01-01' });
    assert.deepEqual(second.changes, []);
    assert.deepEqual(second.files, first.files);
  });

  it('`npm run knowledge:refresh -- --cache-only --out DIR` writes the tables and prints a summary', async () => {
    const out = tempDir('gdd-refresh-out-');
    const probe = await runProcess([process.execPath, 'scripts/knowledge-refresh.mjs', '--cache-only', '--out', out], {
      timeoutMs: 120_000,
    });
    assert.equal(probe.exitCode, 0, probe.stderr);
    assert.match(probe.stdout, /^Read \d+ Delve \(\d+ with their dlv flags\), \d+ gopls releases and \d+ Go minors from the module cache/);
    const written = JSON.parse(readFileSync(path.join(out, 'delve.json'), 'utf8')) as KnowledgeFiles['delve'];
    assert.deepEqual(written.releases, load().delve.releases);
  });

  it("--out is input (issue 22): a symbolic link, a folder in a table's place, a file as DIR, a missing DIR: one line, exit 1, nothing written through", async () => {
    const refresh = (out: string) =>
      runProcess([process.execPath, 'scripts/knowledge-refresh.mjs', '--cache-only', '--out', out], { timeoutMs: 120_000 });
    const outside = tempDir('gdd-refresh-victim-');
    const victim = path.join(outside, 'precious.json');
    writeFileSync(victim, 'mine\n');
    const linked = tempDir('gdd-refresh-link-');
    symlinkSync(victim, path.join(linked, 'gopls.json'));
    const folder = tempDir('gdd-refresh-dir-');
    mkdirSync(path.join(folder, 'delve.json'));
    const file = path.join(tempDir('gdd-refresh-file-'), 'a-file');
    writeFileSync(file, 'x');
    for (const [out, why] of [
      [linked, /gopls\.json is a symbolic link; not writing through it/],
      [folder, /delve\.json is not a regular file; not replacing it/],
      [file, /a part of the path is a file, not a folder/],
      [path.join(outside, 'missing', 'dir'), /does not exist/],
    ] as const) {
      const p = await refresh(out);
      assert.equal(p.exitCode, 1, `${out}: ${p.stdout}${p.stderr}`);
      const lines = p.stderr.trim().split('\n');
      assert.equal(lines.length, 1, p.stderr);
      assert.match(lines[0]!, /^knowledge:refresh: /);
      assert.match(lines[0]!, why);
    }
    assert.equal(readFileSync(victim, 'utf8'), 'mine\n');
    assert.ok(lstatSync(path.join(linked, 'gopls.json')).isSymbolicLink());
    assert.ok(!existsSync(path.join(linked, 'delve.json')), 'nothing written beside the link either');
  });
});
