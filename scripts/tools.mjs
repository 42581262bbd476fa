// Installs the real tools the tests and benchmarks drive, through the Go module proxy, into a
// temporary folder. Go's own build cache makes repeat installs quick; nothing is cached by hand.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import toolData from '../src/core/knowledge/tools.json' with { type: 'json' };

const run = promisify(execFile);

// dlv-old cannot debug the machine's Go; dlv-dwarf4 supports Go 1.26 but is built with Go 1.24, so it
// must refuse DWARF 5 programs.
export const TOOLS = [
  { name: 'dlv-new', module: toolData.dlv.package, version: 'v1.27.2', bin: 'dlv' },
  { name: 'dlv-old', module: toolData.dlv.package, version: 'v1.21.2', bin: 'dlv' },
  { name: 'dlv-dwarf4', module: toolData.dlv.package, version: 'v1.26.3', bin: 'dlv', toolchain: 'go1.24.13' },
  { name: 'gopls', module: toolData.gopls.package, version: 'v0.23.0', bin: 'gopls' },
];

/** Returns { dir, tools: {name: path}, file (tools.json), cleanup() }. */
export async function installTools(names = TOOLS.map((t) => t.name)) {
  const dir = mkdtempSync(join(tmpdir(), 'gdd-tools-'));
  const tools = {};
  await Promise.all(
    TOOLS.filter((t) => names.includes(t.name)).map(async (tool) => {
      const gobin = join(dir, tool.name);
      const env = { ...process.env, GOBIN: gobin, GOFLAGS: '', GOTOOLCHAIN: tool.toolchain ?? 'auto', GOOS: '', GOARCH: '' };
      await run('go', ['install', `${tool.module}@${tool.version}`], { env, cwd: dir, timeout: 15 * 60_000 });
      tools[tool.name] = join(gobin, tool.bin);
    }),
  );
  const file = join(dir, 'tools.json');
  writeFileSync(file, JSON.stringify(tools, null, 2));
  return { dir, tools, file, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
