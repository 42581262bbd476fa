// `npm run knowledge:refresh`: regenerates the Delve, gopls and Go patch rows in src/core/knowledge/
// from the Go module proxy (src/core/knowledge/refresh.ts). Flags: --cache-only, --out DIR, --dry-run.
import { build } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = resolve(import.meta.dirname, '..');
const dir = mkdtempSync(join(tmpdir(), 'gdd-refresh-'));
try {
  const outfile = join(dir, 'refresh.cjs');
  await build({
    stdin: { contents: "export { refreshMain } from './src/core/knowledge/refresh';", resolveDir: root, loader: 'ts' },
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    outfile,
    logLevel: 'warning',
    mainFields: ['module', 'main'],
  });
  const { refreshMain } = (await import(pathToFileURL(outfile).href)).default;
  process.exitCode = await refreshMain(process.argv.slice(2), join(root, 'src/core/knowledge'));
} catch (err) {
  console.error(`knowledge:refresh: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
