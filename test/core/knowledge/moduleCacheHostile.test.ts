import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import fc from 'fast-check';
import type { ByteSource } from '../../../src/core/binary/bytes';
import { delveReleaseFromModuleCache, goModCacheDir } from '../../../src/core/knowledge/fromModuleCache';
import {
  escapeModulePath,
  invalidModulePath,
  invalidModuleVersion,
  openCachedModule,
  type ModuleFiles,
} from '../../../src/core/knowledge/moduleCache';
import { DelegatingHost, LiveHost } from '../../../src/core/probes/host';
import { tempDir, writeFile } from '../../helpers';
import { COMPAT, DELVE, delvePaths, delveZip, mkfifo, movedCompat, writeDelveFolder } from './cacheFixtures';

/** Every path the reader asks the machine about, and the bytes it reads out of zips. */
class WatchingHost extends DelegatingHost {
  readonly paths: string[] = [];
  readonly texts: string[] = [];
  zipBytes = 0;
  constructor() {
    super(new LiveHost());
  }
  override stat(p: string) {
    this.paths.push(p);
    return super.stat(p);
  }
  override realpath(p: string) {
    this.paths.push(p);
    return super.realpath(p);
  }
  override readText(p: string, maxBytes?: number) {
    this.paths.push(p);
    this.texts.push(p);
    return super.readText(p, maxBytes);
  }
  override async openBytes(p: string): Promise<ByteSource | undefined> {
    this.paths.push(p);
    const src = await super.openBytes(p);
    if (!src) return undefined;
    return {
      size: src.size,
      read: async (offset, length) => {
        const got = await src.read(offset, length);
        this.zipBytes += got.length;
        return got;
      },
      close: () => src.close(),
    };
  }
}

let gomodcache: string;
let compat: string;
before(async () => {
  gomodcache = (await goModCacheDir(new LiveHost(), 30_000))!;
  compat = movedCompat(gomodcache, 26, 29);
});

/** A module cache in a temporary folder and, beside it, a folder it must never read from. */
function layout(): { cache: string; outside: string } {
  const root = tempDir('gdd-hostile-cache-');
  const cache = path.join(root, 'cache');
  const outside = path.join(root, 'outside');
  mkdirSync(cache, { recursive: true });
  // A valid Delve release outside the cache: reading it would turn "unknown" into a verdict.
  writeDelveFolder(path.join(outside, 'delve'), compat);
  writeFileSync(path.join(outside, 'delve.zip'), delveZip('1.99.0', compat));
  return { cache, outside };
}

const outsideOf = (host: WatchingHost, outside: string) => host.texts.filter((p) => p.startsWith(outside));

describe('module and version strings from the outside are refused before any path is built', () => {
  const hostileVersions = [
    'v1.2.3/../../x',
    '1.2.3/../../../x',
    'v1.2.3\0',
    '../../etc',
    'v1.2.3\\..\\..\\x',
    '/etc/passwd',
    'v1.2.3/',
    '',
    'v',
    'v1.2',
    'v01.2.3',
    'v1.2.3-',
    'v1.2.3-01',
    'v1.2.3+build',
    'v1.2.3 ',
    `v1.2.3-${'a'.repeat(200)}`,
  ];
  const goodVersions = [
    'v1.99.0',
    '1.99.0',
    'v1.2.3-rc.1',
    'v0.0.0-20221213183930-4c74548207f4',
    'v2.0.0+incompatible',
    'v0.0.1-go1.21.13.linux-amd64',
  ];
  const hostileModules = [
    '',
    '../../etc',
    '/etc/passwd',
    'github.com/../../x',
    'github.com/go-delve/delve/..',
    'github.com/go-delve/delve/.',
    'github.com//x',
    'github.com/x/',
    'github.com/x\0',
    'github.com/x\\..\\..\\y',
    'GitHub.com/x',
    'localhost/x',
    '-x.com/y',
    'example.com/.hidden',
    'example.com/x y',
    'example.com/con',
    'example.com/NUL.txt',
    'example.com/EXAMPL~1',
    'example.com/x/v0',
    'example.com/x/v1',
    'example.com/x/v2.0',
    'example.com/\u00e9',
  ];
  const goodModules = [
    DELVE,
    'golang.org/x/tools/gopls',
    'github.com/BurntSushi/toml',
    'gopkg.in/yaml.v3',
    'github.com/derekparker/trie/v3',
    'golang.org/toolchain',
  ];

  it('versions and module paths by the rules of go.dev/ref/mod', () => {
    for (const v of hostileVersions) assert.ok(invalidModuleVersion(v), JSON.stringify(v));
    for (const v of goodVersions) assert.equal(invalidModuleVersion(v), undefined, v);
    for (const m of hostileModules) assert.ok(invalidModulePath(m), JSON.stringify(m));
    for (const m of goodModules) assert.equal(invalidModulePath(m), undefined, m);
  });

  it('openCachedModule asks the machine nothing for them, even when the path they spell holds a module', async () => {
    const { cache } = layout();
    // Where `delve@v1.2.3/../../x` leads when joined as a path: a module ready to be read.
    writeDelveFolder(path.join(cache, 'github.com/x'), compat);
    assert.equal(path.join(cache, 'github.com/go-delve', `delve@v1.2.3/../../x`), path.join(cache, 'github.com/x'));
    for (const v of hostileVersions) {
      const host = new WatchingHost();
      assert.equal(await openCachedModule(host, cache, DELVE, v), undefined, JSON.stringify(v));
      assert.equal(await delveReleaseFromModuleCache(host, cache, v), undefined);
      assert.deepEqual(host.paths, [], JSON.stringify(v));
    }
    for (const m of hostileModules) {
      const host = new WatchingHost();
      assert.equal(await openCachedModule(host, cache, m, 'v1.99.0'), undefined, JSON.stringify(m));
      assert.deepEqual(host.paths, [], JSON.stringify(m));
    }
  });

  it('any string the rules accept names one folder below GOMODCACHE (fast-check)', () => {
    const root = '/cache';
    const chars = fc.constantFrom(...'aZ0.-_~/\\@!+ \0\u00e9'.split(''), '..', '../', 'v1.2.3', 'github.com/');
    const text = fc.array(chars, { maxLength: 12 }).map((a) => a.join(''));
    fc.assert(
      fc.property(text, text, (module, version) => {
        if (invalidModulePath(module) || invalidModuleVersion(version)) return;
        const escaped = escapeModulePath(module).split('/');
        const folder = path.join(root, ...escaped.slice(0, -1), `${escaped[escaped.length - 1]}@${escapeModulePath(version)}`);
        assert.ok(folder.startsWith(`${root}/`) && !folder.split('/').includes('..'), folder);
        assert.equal(path.relative(root, folder).split('/').length, module.split('/').length);
      }),
      { numRuns: 5000 },
    );
  });
});

describe('a module cache with special files and symbolic links: nothing outside it is read, nothing blocks', () => {
  const judged = async (cache: string, host = new WatchingHost()) => {
    const started = performance.now();
    const release = await delveReleaseFromModuleCache(host, cache, '1.99.0');
    assert.ok(performance.now() - started < 2000, 'in time');
    if (release && 'unreadable' in release) assert.fail(`unusable: ${release.unreadable}`);
    return release;
  };

  it('the valid baselines: a folder, a zip, and GOMODCACHE itself behind a symbolic link', async () => {
    const { cache, outside } = layout();
    const p = delvePaths(cache, '1.99.0');
    writeDelveFolder(p.folder, compat);
    assert.equal((await judged(cache))?.goMax, '1.29');
    const zipOnly = layout();
    writeFile(delvePaths(zipOnly.cache, '1.99.0').zip, '');
    writeFileSync(delvePaths(zipOnly.cache, '1.99.0').zip, delveZip('1.99.0', compat));
    assert.equal((await judged(zipOnly.cache))?.goMax, '1.29');
    const linked = path.join(outside, 'gomodcache-link');
    symlinkSync(cache, linked);
    const viaLink = await judged(linked);
    assert.equal(viaLink?.goMax, '1.29');
    assert.ok(viaLink.source.includes(linked), 'named by the path the user gave');
  });

  it('a module folder that is a symbolic link leading outside the cache', async () => {
    const { cache, outside } = layout();
    const p = delvePaths(cache, '1.99.0');
    mkdirSync(path.dirname(p.folder), { recursive: true });
    symlinkSync(path.join(outside, 'delve'), p.folder);
    const host = new WatchingHost();
    assert.equal(await judged(cache, host), undefined);
    assert.deepEqual(outsideOf(host, outside), []);
  });

  it('a parent folder (github.com) that is a symbolic link leading outside', async () => {
    const { cache, outside } = layout();
    writeDelveFolder(path.join(outside, 'github.com/go-delve/delve@v1.99.0'), compat);
    symlinkSync(path.join(outside, 'github.com'), path.join(cache, 'github.com'));
    const host = new WatchingHost();
    assert.equal(await judged(cache, host), undefined);
    assert.deepEqual(outsideOf(host, outside), []);
  });

  it('go.mod and compat.go that are symbolic links leading outside', async () => {
    const { cache, outside } = layout();
    const p = delvePaths(cache, '1.99.0');
    mkdirSync(path.join(p.folder, 'pkg/goversion'), { recursive: true });
    writeFile(path.join(p.folder, 'go.mod'), `module ${DELVE}\n\ngo 1.27.0\n`);
    symlinkSync(path.join(outside, 'delve', COMPAT), path.join(p.folder, COMPAT));
    const host = new WatchingHost();
    assert.equal(await judged(cache, host), undefined);
    assert.deepEqual(outsideOf(host, outside), []);
    const other = layout();
    const q = delvePaths(other.cache, '1.99.0');
    writeFile(path.join(q.folder, COMPAT), compat);
    symlinkSync(path.join(other.outside, 'delve/go.mod'), path.join(q.folder, 'go.mod'));
    assert.equal(await judged(other.cache), undefined);
  });

  it('a download zip that is a symbolic link, and an @v folder that is one', async () => {
    const { cache, outside } = layout();
    const p = delvePaths(cache, '1.99.0');
    mkdirSync(p.download, { recursive: true });
    symlinkSync(path.join(outside, 'delve.zip'), p.zip);
    const host = new WatchingHost();
    assert.equal(await judged(cache, host), undefined);
    assert.equal(host.zipBytes, 0, 'the zip was never opened');
    const other = layout();
    const q = delvePaths(other.cache, '1.99.0');
    writeFileSync(path.join(other.outside, 'v1.99.0.zip'), delveZip('1.99.0', compat));
    mkdirSync(path.dirname(q.download), { recursive: true });
    symlinkSync(other.outside, q.download);
    assert.equal(await judged(other.cache), undefined);
  });

  it('FIFOs where go.mod, compat.go, the zip and the .info should be; a folder where the zip should be', async () => {
    const { cache } = layout();
    const p = delvePaths(cache, '1.99.0');
    mkdirSync(p.folder, { recursive: true });
    await mkfifo(path.join(p.folder, 'go.mod'));
    mkdirSync(p.download, { recursive: true });
    await mkfifo(p.zip);
    assert.equal(await judged(cache), undefined);

    const other = layout();
    const q = delvePaths(other.cache, '1.99.0');
    writeFile(path.join(q.folder, 'go.mod'), `module ${DELVE}\n\ngo 1.27.0\n`);
    mkdirSync(path.join(q.folder, 'pkg/goversion'), { recursive: true });
    await mkfifo(path.join(q.folder, COMPAT));
    assert.equal(await judged(other.cache), undefined);

    const third = layout();
    const r = delvePaths(third.cache, '1.99.0');
    writeDelveFolder(r.folder, compat);
    mkdirSync(r.download, { recursive: true });
    await mkfifo(r.info);
    const release = await judged(third.cache);
    assert.equal(release?.goMax, '1.29');
    assert.equal(release.date, '', 'no date from a FIFO');

    const fourth = layout();
    mkdirSync(delvePaths(fourth.cache, '1.99.0').zip, { recursive: true });
    assert.equal(await judged(fourth.cache), undefined);
  });

  it('an .info whose Time is no time, or is 1 MiB long', async () => {
    const { cache } = layout();
    const p = delvePaths(cache, '1.99.0');
    writeDelveFolder(p.folder, compat);
    writeFile(p.info, JSON.stringify({ Version: 'v1.99.0', Time: `not a time\n${'x'.repeat(1 << 20)}` }));
    assert.equal((await judged(cache))?.date, '');
  });

  it('a damaged zip: no release, and the reader says why in one line', async () => {
    const { cache } = layout();
    const p = delvePaths(cache, '1.99.0');
    const zip = delveZip('1.99.0', compat);
    const entry = zip.lastIndexOf(Buffer.from(`${DELVE}@v1.99.0/${COMPAT}`)) - 46;
    zip[entry + 16] = zip[entry + 16]! ^ 0xff; // the CRC-32 its central directory entry records
    writeFile(p.zip, '');
    writeFileSync(p.zip, zip);
    const files = (await openCachedModule(new LiveHost(), cache, DELVE, '1.99.0')) as ModuleFiles;
    assert.equal(await files.read(COMPAT), undefined);
    assert.equal(files.problems.length, 1);
    assert.doesNotMatch(files.problems[0]!, /\n/);
    assert.equal(await files.read('../../outside/delve/go.mod'), undefined, 'a relative path with .. is no member name');
  });
});
