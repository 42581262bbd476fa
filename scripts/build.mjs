// Bundles the extension, the CLI and (with --tests) the unit tests with esbuild; with --e2e also the
// extension-host suite (test/vscode: suite/index.ts and *.itest.ts) into out/vscode-test.
// Type checking is separate (`npm run typecheck`): esbuild only strips types.
import { build } from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';

const production = process.argv.includes('--production');
const withTests = process.argv.includes('--tests');
const withE2e = process.argv.includes('--e2e');
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: production ? false : 'linked',
  minify: production,
  legalComments: 'none',
  logLevel: 'warning',
  // jsonc-parser's UMD build loads its parts with a require() esbuild cannot follow; its ES module build bundles.
  mainFields: ['module', 'main'],
};

rmSync('dist', { recursive: true, force: true });
await Promise.all([
  build({ ...common, entryPoints: ['src/vscode/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] }),
  build({ ...common, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } }),
]);

if (withTests) {
  rmSync('out', { recursive: true, force: true });
  const entryPoints = listTests('test');
  await build({ ...common, sourcemap: 'inline', entryPoints, outdir: 'out/test', outbase: 'test', external: ['vscode'] });
  console.log(`built ${entryPoints.length} test files`);
}

if (withE2e) {
  // Run by code-server's extension host through extensionTestsPath; vscode and mocha (from the
  // repository's node_modules) are loaded at run time, so the suite and its files share one mocha.
  rmSync('out/vscode-test', { recursive: true, force: true });
  const entryPoints = ['test/vscode/suite/index.ts', ...listTests('test/vscode', '.itest.ts')];
  await build({ ...common, sourcemap: 'inline', entryPoints, outdir: 'out/vscode-test', outbase: 'test/vscode', external: ['vscode', 'mocha'] });
  console.log(`built ${entryPoints.length - 1} extension-host test files`);
}

function listTests(dir, suffix = '.test.ts') {
  const found = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...listTests(path, suffix));
    else if (entry.name.endsWith(suffix)) found.push(relative('.', path));
  }
  return found;
}
