import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { Facts } from '../../../src/core/facts/facts';
import { parseGoEnvFile } from '../../../src/core/facts/discovery';
import { formatGoVersion } from '../../../src/core/facts/versions';
import { LiveHost } from '../../../src/core/probes/host';
import { runProcess } from '../../../src/core/probes/runProcess';
import { quietHome, tempDir, writeFile } from '../../helpers';

// The Go that builds a workspace, as the doctor predicts it, against what the real go command does
// in that folder (`go list -m`, then `go env GOVERSION`), for go.mod files with and without a toolchain line and every
// kind of GOTOOLCHAIN. GOPROXY=off: a switch the go command wants shows as its failed download, and
// nothing is fetched.
let GO = '';
let LOCAL = '';
const versions = { older: '', same: '', newer: '' };
/** The go.mod lines of each case, from the local Go's version (known once `before` has run). */
const MODULES: Record<string, () => string> = {
  'go line older': () => `go ${versions.older}`,
  'go line = local': () => `go ${versions.same}`,
  'toolchain line newer, go line older (filippo.io/age v1.3.2)': () => `go ${versions.older}\n\ntoolchain go${versions.newer}`,
  'go line newer': () => `go ${versions.newer}`,
};
const GOTOOLCHAINS = ['local', 'auto', 'local+auto: the local version with +auto', 'path', '(unset: the go env files decide)'];

type Outcome = { builds: string } | { refused: true } | { switches: string };

async function real(dir: string, env: Record<string, string | undefined>): Promise<Outcome> {
  const go = (args: string[]) => runProcess([GO, ...args], { cwd: dir, env, timeoutMs: 60_000 });
  // `go list -m` loads go.mod, as a build does (`go env` alone does not refuse a newer go line).
  const list = await go(['list', '-m']);
  if (list.outcome !== 'ok') {
    if (/requires go >= .*GOTOOLCHAIN=local/.test(list.stderr)) return { refused: true };
    const wanted = /go(\d+\.\d+\.\d+)/.exec(list.stderr.replace(/running go[\d.]+/, ''));
    assert.ok(wanted, `go list -m in ${dir}: ${list.stderr}`);
    return { switches: `go${wanted[1]}` };
  }
  return { builds: (await go(['env', 'GOVERSION'])).stdout.trim() };
}

async function predicted(dir: string, env: Record<string, string | undefined>): Promise<Outcome> {
  const facts = new Facts({ host: new LiveHost(env), workspace: dir, goExtension: null });
  const effective = (await facts.effectiveGo())!;
  if (effective.blocked) return { refused: true };
  const version = formatGoVersion(effective.version);
  return version === LOCAL ? { builds: version } : { switches: version };
}

describe('the Go that builds the workspace: the doctor against the real go command', () => {
  before(async () => {
    const root = await runProcess(['go', 'env', 'GOROOT'], { timeoutMs: 60_000 });
    GO = `${root.stdout.trim()}/bin/go`;
    LOCAL = (await runProcess([GO, 'env', 'GOVERSION'], { envOverrides: { GOTOOLCHAIN: 'local' }, timeoutMs: 60_000 })).stdout.trim();
    const [, major, minor, patch] = /^go(\d+)\.(\d+)\.(\d+)/.exec(LOCAL)!.map(Number) as [number, number, number, number];
    Object.assign(versions, { older: `${major}.${minor - 1}.0`, same: `${major}.${minor}.${patch}`, newer: `${major}.${minor + 1}.0` });
  });
  const home = quietHome(tempDir('gdd-toolchain-'));
  const base: Record<string, string | undefined> = {
    ...process.env,
    HOME: home,
    GOENV: path.join(home, 'go-env'),
    GOPROXY: 'off',
    GOFLAGS: '',
  };
  delete base.GOTOOLCHAIN;
  for (const [name, gomod] of Object.entries(MODULES)) {
    for (const gotoolchain of GOTOOLCHAINS) {
      it(`${name} with GOTOOLCHAIN=${gotoolchain}`, async () => {
        const dir = tempDir('gdd-ws-');
        writeFile(path.join(dir, 'go.mod'), `module example.com/m\n\n${gomod()}\n`);
        const value = gotoolchain.startsWith('local+auto') ? `go${versions.same}+auto` : gotoolchain;
        const env = { ...base, PATH: `${path.dirname(GO)}:/usr/bin:/bin`, ...(value.startsWith('(') ? {} : { GOTOOLCHAIN: value }) };
        assert.deepEqual(await predicted(dir, env), await real(dir, env));
      });
    }
  }

  it('GOTOOLCHAIN from the go env files as the go command reads them: an empty line in the user file wins, and means "local"', async () => {
    const goroot = path.dirname(path.dirname(GO));
    const shipped = parseGoEnvFile(readFileSync(path.join(goroot, 'go.env'), 'utf8')).GOTOOLCHAIN;
    assert.ok(shipped === 'local' || shipped === 'auto', `${goroot}/go.env: ${shipped}`);
    const dir = tempDir('gdd-ws-');
    writeFile(path.join(dir, 'go.mod'), `module example.com/m\n\ngo ${versions.newer}\n`);
    const gotoolchainWith = async (userFile: string) => {
      writeFile(path.join(home, 'go-env'), userFile);
      const env = { ...base, PATH: `${path.dirname(GO)}:/usr/bin:/bin` };
      return { env, value: await new Facts({ host: new LiveHost(env), workspace: dir, goExtension: null }).gotoolchain() };
    };
    // Empty in the user's file: the go command keeps itself and refuses the newer go line.
    const empty = await gotoolchainWith('GOTOOLCHAIN=\n');
    assert.equal(empty.value, 'local');
    assert.match((await runProcess([GO, 'list', '-m'], { cwd: dir, env: empty.env, timeoutMs: 60_000 })).stderr, /requires go >= /);
    assert.equal((await gotoolchainWith('GOPROXY=off\nGOTOOLCHAIN=go1.25.3+auto\n')).value, 'go1.25.3+auto');
    assert.equal((await gotoolchainWith('GOPROXY=off\n')).value, shipped, 'no line in the user file: $GOROOT/go.env decides');
    writeFile(path.join(home, 'go-env'), '');
  });
});
