import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { runProcess } from '../../../src/core/probes/runProcess';
import { writeFile } from '../../helpers';
import { writeZip, type Member } from '../binary/zipFixtures';

/** Module caches built by hand, around the real Delve sources `npm test` put in the machine's module cache. */

export const DELVE = 'github.com/go-delve/delve';
export const COMPAT = 'pkg/goversion/compat.go';

/** Delve v1.27.2's own compat.go with its supported range moved to 1.min..1.max. */
export function movedCompat(gomodcache: string, min: number, max: number): string {
  const real = readFileSync(path.join(gomodcache, `${DELVE}@v1.27.2`, COMPAT), 'utf8');
  const moved = real
    .replace(/(MinSupportedVersionOfGoMinor\s*=\s*)\d+/, `$1${min}`)
    .replace(/(MaxSupportedVersionOfGoMinor\s*=\s*)\d+/, `$1${max}`);
  if (moved === real) throw new Error('compat.go of v1.27.2 no longer has the constants this moves');
  return moved;
}

export const delveGoMod = (goLine = '1.27.0') => `module ${DELVE}\n\ngo ${goLine}\n`;

/** Where the go command keeps a Delve version: its extracted folder and its download files. */
export function delvePaths(cache: string, version: string): { folder: string; download: string; zip: string; info: string } {
  const download = path.join(cache, 'cache/download', DELVE, '@v');
  return {
    folder: path.join(cache, `${DELVE}@v${version}`),
    download,
    zip: path.join(download, `v${version}.zip`),
    info: path.join(download, `v${version}.info`),
  };
}

/** An extracted Delve module (go.mod and compat.go) in `folder`. */
export function writeDelveFolder(folder: string, compat: string, goMod = delveGoMod()): void {
  writeFile(path.join(folder, 'go.mod'), goMod);
  writeFile(path.join(folder, COMPAT), compat);
}

/** The members of a Delve module zip as the go command names them. */
export function delveMembers(version: string, compat: string | Buffer, goMod = delveGoMod()): Member[] {
  return [
    { name: `${DELVE}@v${version}/go.mod`, data: goMod },
    { name: `${DELVE}@v${version}/${COMPAT}`, data: compat },
  ];
}

export function delveZip(version: string, compat: string | Buffer, goMod = delveGoMod()): Buffer {
  return writeZip(delveMembers(version, compat, goMod));
}

/** The go command's own zip of Delve v1.27.2 with every member renamed to `version` (same length). */
export function renamedRealZip(gomodcache: string, version: string): Buffer {
  if (version.length !== '1.27.2'.length) throw new Error('the renamed version must keep the length of 1.27.2');
  const real = readFileSync(path.join(gomodcache, 'cache/download', DELVE, '@v/v1.27.2.zip'));
  const from = Buffer.from(`${DELVE}@v1.27.2/`);
  const to = Buffer.from(`${DELVE}@v${version}/`);
  for (let at = real.indexOf(from); at >= 0; at = real.indexOf(from, at + from.length)) to.copy(real, at);
  return real;
}

export async function mkfifo(file: string): Promise<string> {
  const probe = await runProcess(['mkfifo', file], { timeoutMs: 10_000 });
  if (probe.outcome !== 'ok') throw new Error(`mkfifo ${file}: ${probe.error ?? probe.stderr}`);
  return file;
}
