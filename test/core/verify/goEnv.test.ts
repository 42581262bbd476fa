import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { LiveHost } from '../../../src/core/probes/host';
import { runProcess } from '../../../src/core/probes/runProcess';
import { resolveConfiguration } from '../../../src/core/verify/config';
import { buildSettings, readGoEnv } from '../../../src/core/verify/goEnv';
import { goTestEnv, tempDir, writeFile } from '../../helpers';

const env = goTestEnv('gdd-goenv-home-');

describe('what the go command says about the build verify runs', () => {
  it("go env with the configuration's env on top (GOOS, CGO_ENABLED); a missing go gives the configuration's own values", async () => {
    const ws = tempDir('gdd-goenv-');
    const host = new LiveHost(env);
    const config = await resolveConfiguration(
      {
        name: 'L',
        type: 'go',
        request: 'launch',
        mode: 'debug',
        program: '${workspaceFolder}',
        env: { GOOS: 'windows', CGO_ENABLED: '0' },
      },
      { host, folder: ws },
    );
    const real = await readGoEnv(host, 'go', config);
    assert.equal(real.goos, 'windows');
    assert.equal(real.cgoEnabled, '0');
    assert.ok(real.goroot.startsWith('/'), real.goroot);
    const missing = await readGoEnv(host, path.join(ws, 'no-go'), config);
    assert.deepEqual(missing, { goos: 'windows', goarch: '', goroot: '', goflags: '', cgoEnabled: '0', cc: '' });
  });

  it('build settings recorded in a real binary: -ldflags and -gcflags as go version -m shows them', async () => {
    const ws = tempDir('gdd-goenv-');
    writeFile(path.join(ws, 'go.mod'), 'module example.com/b\n\ngo 1.22\n');
    writeFile(path.join(ws, 'main.go'), 'package main\n\nfunc main() {}\n');
    const bin = path.join(ws, 'b');
    const p = await runProcess(['go', 'build', '-ldflags=-s -w', '-gcflags=all=-N -l', '-o', bin, '.'], {
      cwd: ws,
      env,
      timeoutMs: 120_000,
    });
    assert.equal(p.exitCode, 0, p.stderr);
    const settings = await buildSettings(new LiveHost(env), 'go', bin);
    assert.equal(settings?.['-ldflags'], '"-s -w"');
    assert.match(settings?.['-gcflags'] ?? '', /-N -l/);
    assert.equal(await buildSettings(new LiveHost(env), 'go', path.join(ws, 'main.go')), undefined);
  });
});
