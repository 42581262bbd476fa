// Bundles the extension, the CLI and (with --tests) the unit tests with esbuild; with --e2e also the
// extension-host suite (test/vscode: suite/index.ts and *.itest.ts) into out/vscode-test.
// Type checking is separate (`npm run typecheck`): esbuild only strips types.
//
// The extension and the CLI load only what a command uses: every dynamic `import()` in src/ becomes
// a chunk file that is read on first use (dist/extension-chunks/, dist/cli-chunks/), and code used
// by several chunks lives once in a shared chunk (one copy of each class and each module's state).
// esbuild splits only ES modules, so each entry is bundled as ESM with splitting, then every output
// file is turned into CommonJS (VS Code loads extensions with require(); CommonJS also starts
// faster under Node), its `import()` of a chunk becoming a `require()` of that file.
import { build } from 'esbuild';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
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
  splitBundle({ entry: 'src/vscode/extension.ts', name: 'extension', external: ['vscode'] }),
  splitBundle({ entry: 'src/cli/bin.ts', name: 'cli', banner: '#!/usr/bin/env node' }),
]);

if (withTests) {
  rmSync('out', { recursive: true, force: true });
  const entryPoints = listTests('test');
  // esbuild stays a package: a test that bundles a module for a child process loads it from node_modules.
  await build({ ...common, sourcemap: 'inline', entryPoints, outdir: 'out/test', outbase: 'test', external: ['vscode', 'esbuild'] });
  console.log(`built ${entryPoints.length} test files`);
}

if (withE2e) {
  // Run by code-server's extension host through extensionTestsPath; vscode and mocha (from the
  // repository's node_modules) are loaded at run time, so the suite and its files share one mocha.
  rmSync('out/vscode-test', { recursive: true, force: true });
  const entryPoints = ['test/vscode/suite/index.ts', ...listTests('test/vscode', '.itest.ts')];
  await build({
    ...common,
    sourcemap: 'inline',
    entryPoints,
    outdir: 'out/vscode-test',
    outbase: 'test/vscode',
    external: ['vscode', 'mocha'],
  });
  console.log(`built ${entryPoints.length - 1} extension-host test files`);
}

/** dist/NAME.js plus dist/NAME-chunks/*.js, CommonJS, one chunk per dynamic import() and per shared part. */
async function splitBundle({ entry, name, external = [], banner }) {
  const esm = mkdtempSync(join(tmpdir(), `gdd-build-${name}-`));
  try {
    const { metafile } = await build({
      ...common,
      format: 'esm',
      splitting: true,
      entryPoints: { [name]: entry },
      outdir: esm,
      chunkNames: `${name}-chunks/[name]-[hash]`,
      external,
      metafile: true,
    });
    const files = Object.keys(metafile.outputs).filter((f) => f.endsWith('.js'));
    // Every dynamic import() target is an entry point in the metafile too: pick the entry by name.
    const entryFile = files.find((f) => relative(esm, f) === `${name}.js`);
    const toCommonJs = (entryPoints, extra = {}) =>
      build({
        entryPoints,
        outdir: 'dist',
        outbase: esm,
        bundle: false,
        platform: 'node',
        target: 'node20',
        format: 'cjs',
        // import() of a chunk becomes Promise.resolve().then(() => require(chunk)): no ES module loader.
        supported: { 'dynamic-import': false },
        sourcemap: common.sourcemap,
        minify: production,
        legalComments: 'none',
        logLevel: 'warning',
        ...extra,
      });
    await Promise.all([
      toCommonJs([entryFile], banner ? { banner: { js: banner } } : {}),
      files.length > 1 ? toCommonJs(files.filter((f) => f !== entryFile)) : undefined,
    ]);
  } finally {
    rmSync(esm, { recursive: true, force: true });
  }
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
