import assert from 'node:assert/strict';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { delveSupportsGo } from '../../../src/core/knowledge';
import { parseDlvVersion, parseGoVersionM } from '../../../src/core/facts/parsers';
import { runProcess } from '../../../src/core/probes/runProcess';
import { parseGoVersion, type GoVersion } from '../../../src/core/facts/versions';
import { buildProgram, tempDir, testTools, type TestTools } from '../../helpers';

/**
 * Our `compat` verdict against what the real dlv does: each pair is a real Delve asked to debug a
 * real program, headless on loopback. Refused means dlv exits with its message; accepted means it
 * is still serving when we stop it.
 */
describe('compat verdicts agree with real Delve', () => {
  const tools = testTools();
  const programs = new Map<string, { binary: string; go: GoVersion }>();
  const root = tempDir('gdd-cross-');
  before(async () => {
    const local = parseGoVersion((await runProcess(['go', 'env', 'GOVERSION'])).stdout.trim())!;
    const [a, b] = await Promise.all([
      buildProgram(path.join(root, 'local')),
      buildProgram(path.join(root, 'go121'), { toolchain: 'go1.21.13' }),
    ]);
    programs.set('local', { binary: a, go: local });
    programs.set('go1.21.13', { binary: b, go: parseGoVersion('go1.21.13')! });
  });

  async function realDelve(dlv: string, program: string) {
    const probe = await runProcess([dlv, 'exec', program, '--headless', '--listen=127.0.0.1:0', '--api-version=2'], { timeoutMs: 6000 });
    return { accepted: probe.outcome === 'timeout', output: probe.stdout + probe.stderr };
  }

  const pairs: Array<[keyof TestTools, string]> = [
    ['dlv-old', 'local'],
    ['dlv-old', 'go1.21.13'],
    ['dlv-new', 'local'],
    ['dlv-new', 'go1.21.13'],
    ['dlv-dwarf4', 'local'],
    ['dlv-dwarf4', 'go1.21.13'],
  ];
  for (const [dlvName, programName] of pairs) {
    it(`${dlvName} debugging a program built by ${programName}`, async () => {
      const dlv = tools[dlvName];
      const program = programs.get(programName)!;
      const version = parseDlvVersion((await runProcess([dlv, 'version'])).stdout)!.version;
      const builtWith = parseGoVersionM((await runProcess(['go', 'version', '-m', dlv])).stdout)!.goVersion;
      const verdict = delveSupportsGo(version, program.go, builtWith);
      const real = await realDelve(dlv, program.binary);
      assert.equal(
        verdict.verdict === 'compatible',
        real.accepted,
        `verdict ${verdict.verdict} (${verdict.reasons.join(' ')}), real dlv said:\n${real.output}`,
      );
      if (!real.accepted)
        assert.ok(real.output.includes(verdict.delveMessage!), `Delve's own words:\n${real.output}\nours:\n${verdict.delveMessage}`);
    });
  }
});
