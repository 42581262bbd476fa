import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { runProcess } from '../../../src/core/probes/runProcess';
import { LiveHost } from '../../../src/core/probes/host';
import { cgoOffFinding, importsC } from '../../../src/core/verify/cgo';
import { resolveConfiguration } from '../../../src/core/verify/config';
import { readGoEnv } from '../../../src/core/verify/goEnv';
import { goTestEnv, tempDir, writeFile } from '../../helpers';

const env = goTestEnv('gdd-cgo-home-');

describe('cgo off: a build that fails because files importing "C" were left out', () => {
  it('importsC: the single import and the import block, not a comment or a string', () => {
    assert.ok(importsC('package p\n\n// #include <stdlib.h>\nimport "C"\n'));
    assert.ok(importsC('package p\n\nimport (\n\t"fmt"\n\t"C"\n)\n'));
    assert.ok(!importsC('package p\n\n// import "C"\nvar s = `import "C"`\n'));
    assert.ok(!importsC('package p\n\nimport (\n\t"fmt"\n)\n\nvar C = "C"\n'));
  });

  it('a package made only of cgo files, built by the real go with CGO_ENABLED=0: named, with the env fix', async () => {
    const ws = tempDir('gdd-cgo-');
    writeFile(path.join(ws, 'go.mod'), 'module example.com/c\n\ngo 1.22\n');
    writeFile(
      path.join(ws, 'add', 'add.go'),
      'package add\n\n// int add(int a, int b) { return a + b; }\nimport "C"\n\nfunc Add(a, b int) int { return int(C.add(C.int(a), C.int(b))) }\n',
    );
    writeFile(path.join(ws, 'main.go'), 'package main\n\nimport "example.com/c/add"\n\nfunc main() { println(add.Add(1, 2)) }\n');
    const host = new LiveHost({ ...env, CGO_ENABLED: '0' });
    const build = await runProcess(['go', 'build', '-o', path.join(ws, 'bin'), '.'], {
      cwd: ws,
      env: { ...env, CGO_ENABLED: '0' },
      timeoutMs: 120_000,
    });
    assert.notEqual(build.exitCode, 0);
    const config = await resolveConfiguration(
      { name: 'L', type: 'go', request: 'launch', mode: 'debug', program: '${workspaceFolder}' },
      { host, folder: ws },
    );
    const goEnv = await readGoEnv(host, 'go', config);
    assert.equal(goEnv.cgoEnabled, '0');
    const found = await cgoOffFinding(host, 'go', config, goEnv, build.stderr);
    assert.match(found?.diagnosis.cause ?? '', /^Package add needs cgo \(add\.go imports "C"\).*from the environment/, build.stderr);
    assert.deepEqual(found?.fix, {
      label: 'Build with cgo: set env.CGO_ENABLED to "1"',
      attribute: 'env.CGO_ENABLED',
      value: '1',
      automatic: true,
    });
    // With cgo on, the same output says nothing about cgo.
    const on = await readGoEnv(new LiveHost(env), 'go', config);
    assert.equal(await cgoOffFinding(host, 'go', config, on, build.stderr), undefined);
  });
});
