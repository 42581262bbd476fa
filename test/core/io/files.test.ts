import assert from 'node:assert/strict';
import { chmodSync, lstatSync, readdirSync, readFileSync, readlinkSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { makeFolder, readWithSnapshot, writeFileAtomic } from '../../../src/core/io/files';
import { tempDir, writeFile } from '../../helpers';
import { InputError } from '../../../src/core/io/errors';

describe('atomic writes keep the file identity', () => {
  it('follows a symbolic link and writes its target; the link stays a link', async () => {
    const dir = tempDir();
    const real = writeFile(path.join(dir, 'shared', 'launch.json'), 'old');
    const link = path.join(dir, 'launch.json');
    symlinkSync(real, link);
    await writeFileAtomic(link, 'new');
    assert.ok(lstatSync(link).isSymbolicLink());
    assert.equal(readlinkSync(link), real);
    assert.equal(readFileSync(real, 'utf8'), 'new');
  });
  it('keeps the mode (0600 stays 0600)', async () => {
    const file = writeFile(path.join(tempDir(), 'launch.json'), 'old');
    chmodSync(file, 0o600);
    await writeFileAtomic(file, 'new');
    assert.equal(statSync(file).mode & 0o777, 0o600);
  });
  it('refuses a device, a folder and a dangling link, each in one line', async () => {
    const dir = tempDir();
    symlinkSync(path.join(dir, 'missing'), path.join(dir, 'dangling'));
    for (const [target, message] of [
      ['/dev/null', /is a device or special file; not replacing it/],
      [dir, /is a folder; not replacing it/],
      [path.join(dir, 'dangling'), /a symbolic link to .*missing, which does not exist/],
      [path.join(dir, 'no', 'such', 'f'), /the folder .* does not exist/],
    ] as const) {
      const err = await writeFileAtomic(target, 'x').then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(err instanceof InputError, String(err));
      assert.match(err.message, message);
    }
    assert.ok(statSync('/dev/null').isCharacterDevice());
  });
  it('refuses to overwrite a file saved by someone else since it was read', async () => {
    const file = writeFile(path.join(tempDir(), 'launch.json'), '{"version": "0.2.0"}');
    const read = await readWithSnapshot(file);
    writeFileSync(file, '{"version": "0.2.0", "mine": true}');
    utimesSync(file, new Date(), new Date(Date.now() + 5000));
    await assert.rejects(writeFileAtomic(file, 'ours', { expect: read!.snapshot }), /changed on disk while this ran/);
    assert.equal(readFileSync(file, 'utf8'), '{"version": "0.2.0", "mine": true}');
    // Same size and time, other bytes: the hash tells.
    const again = await readWithSnapshot(file);
    const st = statSync(file);
    writeFileSync(file, '{"version": "0.2.0", "MINE": true}');
    utimesSync(file, st.atime, st.mtime);
    await assert.rejects(writeFileAtomic(file, 'ours', { expect: again!.snapshot }), /changed on disk/);
    await assert.rejects(
      writeFileAtomic(path.join(path.dirname(file), 'new.json'), 'x', { expect: again!.snapshot }),
      /was removed while this ran/,
    );
  });
  it('removes temporary files left by a killed write, and leaves none of its own', async () => {
    const dir = tempDir();
    const file = writeFile(path.join(dir, 'launch.json'), 'old');
    // A pid that cannot be running: the kernel's limit is below it.
    writeFile(path.join(dir, '.launch.json.4194399.abc123.tmp'), 'half');
    writeFile(path.join(dir, `.launch.json.${process.pid}x.tmp`), 'not ours');
    await writeFileAtomic(file, 'new');
    assert.deepEqual(readdirSync(dir).sort(), [`.launch.json.${process.pid}x.tmp`, 'launch.json']);
  });
  it(
    'an unwritable folder is a one-line refusal (not as root)',
    { skip: process.getuid?.() === 0 ? 'root writes anywhere' : false },
    async () => {
      const dir = tempDir();
      const file = writeFile(path.join(dir, 'f'), 'old');
      chmodSync(dir, 0o555);
      await assert.rejects(writeFileAtomic(file, 'new'), /cannot write it: permission denied/);
      chmodSync(dir, 0o755);
    },
  );
});

describe('makeFolder: a folder and its parents, one at a time', () => {
  it('creates missing parents and accepts an existing folder', async () => {
    const deep = path.join(tempDir('gdd-mkdir-'), 'a', 'b', 'c');
    await makeFolder(deep);
    assert.ok(statSync(deep).isDirectory());
    await makeFolder(deep);
  });

  it("under /proc, below a file, below /dev/null: one line at once (Node's recursive mkdir spins forever under /proc)", async () => {
    for (const [dir, why] of [
      ['/proc/go-debug-doctor-test/bin', /cannot create \/proc\/go-debug-doctor-test/],
      ['/etc/hostname/bin', /is a file, not a folder|is not a folder/],
      ['/dev/null/bin', /is a file, not a folder|is not a folder/],
    ] as const) {
      const started = Date.now();
      await assert.rejects(
        makeFolder(dir, 'the dlv folder'),
        (err: Error) => err instanceof InputError && why.test(err.message) && !err.message.includes('\n'),
      );
      assert.ok(Date.now() - started < 2000, `${dir} took ${Date.now() - started} ms`);
    }
  });
});
