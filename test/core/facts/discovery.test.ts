import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { locateTool, resolveGoPaths } from '../../../src/core/facts/discovery';
import { LiveHost } from '../../../src/core/probes/host';
import { tempDir, writeFile } from '../../helpers';

/** Real folders with real executable files, and an environment that points at them. */
function layout() {
  const root = tempDir('gdd-discovery-');
  const exe = (rel: string) => writeFile(path.join(root, rel), '#!/bin/sh\necho tool\n', true);
  const env = {
    HOME: path.join(root, 'home'),
    XDG_CONFIG_HOME: path.join(root, 'home', '.config'),
    PATH: [path.join(root, 'path1'), path.join(root, 'path2')].join(':'),
  } as Record<string, string>;
  return { root, exe, env };
}

describe('tool discovery, in the Go extension order', () => {
  it('an absolute go.alternateTools entry wins over everything', async () => {
    const { root, exe, env } = layout();
    const alt = exe('alt/dlv');
    exe('gobin/dlv');
    exe('path1/dlv');
    const host = new LiveHost({ ...env, GOBIN: path.join(root, 'gobin') });
    const loc = await locateTool(host, 'dlv', { alternateTools: { dlv: alt } }, await resolveGoPaths(host));
    assert.deepEqual(loc.found, { path: alt, source: 'go.alternateTools' });
    assert.deepEqual(
      loc.candidates.map((c) => c.source),
      ['go.alternateTools', 'GOBIN', 'PATH'],
    );
  });
  it('order: GOBIN, go.toolsGopath/bin, every GOPATH/bin, GOROOT/bin, PATH', async () => {
    const { root, exe, env } = layout();
    for (const d of ['path1', 'goroot/bin', 'gp2/bin', 'gp1/bin', 'tools/bin', 'gobin']) exe(`${d}/gopls`);
    const host = new LiveHost({ ...env, GOBIN: path.join(root, 'gobin'), GOPATH: `${path.join(root, 'gp1')}:${path.join(root, 'gp2')}` });
    const loc = await locateTool(host, 'gopls', { toolsGopath: path.join(root, 'tools') }, await resolveGoPaths(host), {
      goroot: path.join(root, 'goroot'),
    });
    assert.deepEqual(
      loc.candidates.map((c) => path.relative(root, c.path)),
      ['gobin/gopls', 'tools/bin/gopls', 'gp1/bin/gopls', 'gp2/bin/gopls', 'goroot/bin/gopls', 'path1/gopls'],
    );
  });
  it('a missing absolute alternate is ignored (as the Go extension does) and reported', async () => {
    const { root, exe, env } = layout();
    exe('path2/dlv');
    const host = new LiveHost(env);
    const loc = await locateTool(host, 'dlv', { alternateTools: { dlv: path.join(root, 'nope/dlv') } }, await resolveGoPaths(host));
    assert.equal(loc.found?.source, 'PATH');
    assert.equal(loc.ignoredAlternate, path.join(root, 'nope/dlv'));
  });
  it('a relative alternate is a binary name searched in the same folders; ~ expands', async () => {
    const { root, exe, env } = layout();
    exe('path1/dlv-pinned');
    exe('home/bin/dlv');
    const host = new LiveHost(env);
    const paths = await resolveGoPaths(host);
    assert.equal(
      (await locateTool(host, 'dlv', { alternateTools: { dlv: 'dlv-pinned' } }, paths)).found?.path,
      path.join(root, 'path1/dlv-pinned'),
    );
    assert.equal(
      (await locateTool(host, 'dlv', { alternateTools: { dlv: '~/bin/dlv' } }, paths)).found?.path,
      path.join(root, 'home/bin/dlv'),
    );
  });
  it('GOPATH defaults to ~/go; GOBIN comes from the go env file when the environment has none', async () => {
    const { root, exe, env } = layout();
    writeFile(path.join(root, 'home/.config/go/env'), `GOBIN=${path.join(root, 'envfile-bin')}\n`);
    exe('envfile-bin/dlv');
    exe('home/go/bin/dlv');
    const host = new LiveHost(env);
    const paths = await resolveGoPaths(host);
    assert.deepEqual(paths.gopath, [path.join(root, 'home/go')]);
    assert.equal(paths.origin.GOBIN, 'go env file');
    const loc = await locateTool(host, 'dlv', {}, paths);
    assert.deepEqual(
      loc.candidates.map((c) => c.source),
      ['GOBIN', 'GOPATH'],
    );
  });
  it('go is not looked for in GOPATH/bin, but in the default folders; not-found lists where it looked', async () => {
    const { exe, env } = layout();
    exe('home/go/bin/go');
    const host = new LiveHost({ ...env, PATH: '/nonexistent' });
    const loc = await locateTool(host, 'go', {}, await resolveGoPaths(host));
    assert.ok(!loc.candidates.some((c) => c.path.includes('home/go/bin')));
    assert.ok(loc.searched.includes('/usr/local/go/bin/go'));
  });
  it('a non-executable file is not a tool', async () => {
    const { root, env } = layout();
    writeFile(path.join(root, 'path1/dlv'), 'not executable');
    const host = new LiveHost(env);
    assert.equal((await locateTool(host, 'dlv', {}, await resolveGoPaths(host))).found, undefined);
  });
});

describe('tool discovery with the Go extension API', () => {
  it('a path the Go extension reports comes first; a missing one is passed over', async () => {
    const { root, exe, env } = layout();
    const reported = exe('from-api/dlv');
    exe('path1/dlv');
    const host = new LiveHost(env);
    const paths = await resolveGoPaths(host);
    assert.deepEqual((await locateTool(host, 'dlv', { fromGoExtension: { dlv: reported } }, paths)).found, {
      path: reported,
      source: 'Go extension API',
    });
    assert.equal((await locateTool(host, 'dlv', { fromGoExtension: { dlv: path.join(root, 'gone/dlv') } }, paths)).found?.source, 'PATH');
  });
});
