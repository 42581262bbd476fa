import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { reportFailed, runDoctor } from '../../../src/core/checks/doctor';
import { Facts } from '../../../src/core/facts/facts';
import { LiveHost } from '../../../src/core/probes/host';
import type { RunOptions } from '../../../src/core/probes/runProcess';
import { runChecks } from '../../../src/core/checks/engine';
import { allChecks } from '../../../src/core/checks/allChecks';
import { GO_ENV_KEYS } from '../../../src/core/facts/parsers';
import { tempDir, testTools, writeFile, quietHome } from '../../helpers';

describe('runDoctor on a machine without go', () => {
  it('fails clearly on go and skips everything that needs it', async () => {
    const root = tempDir();
    writeFile(path.join(root, 'ws', 'go.mod'), 'module m\n\ngo 1.22\n');
    const host = new LiveHost({ HOME: quietHome(path.join(root, 'home')), PATH: path.join(root, 'empty') });
    const report = await runDoctor({ host, workspace: path.join(root, 'ws'), defaultGoFolders: [] });
    const row = (id: string) => report.checks.find((c) => c.id === id)!;
    assert.equal(row('tools.go').status, 'fail');
    assert.match(row('tools.go').summary, /go was not found/);
    assert.ok(row('tools.go').fixes.length > 0);
    for (const id of ['env.go', 'workspace.go', 'compat.delveGo', 'profile']) assert.equal(row(id).status, 'skip', id);
    assert.equal(row('tools.dlv').status, 'fail');
    assert.ok(reportFailed(report));
    assert.deepEqual(report.probes, [], 'nothing to run, nothing run');
  });
});

describe('runDoctor with the custom profile', () => {
  it("compares the versions in use with the user's own pins", async () => {
    const root = tempDir();
    writeFile(path.join(root, 'ws', 'go.mod'), 'module m\n\ngo 1.21\n');
    const goBin = (process.env.PATH ?? '').split(':').find((d) => existsSync(path.join(d, 'go')))!;
    const host = new LiveHost({
      HOME: quietHome(path.join(root, 'home')),
      PATH: goBin,
      GOTOOLCHAIN: 'local',
      GOCACHE: process.env.GOCACHE ?? '/root/.cache/go-build',
    });
    const report = await runDoctor({
      host,
      workspace: path.join(root, 'ws'),
      profile: 'custom',
      customProfile: { dlv: '1.27.2', gopls: '0.23.0' },
    });
    const row = report.checks.find((c) => c.id === 'profile')!;
    assert.equal(row.status, 'warn');
    assert.match(row.summary, /Differs from the custom profile: dlv 1\.27\.2 \(not installed\), gopls 0\.23\.0 \(not installed\)\./);
    assert.match(row.evidence[0]!.value, /^go: 1\.\d+\.\d+ \(profile: any\)$/m);
  });
});

describe('runDoctor starts the version probes slowest first', () => {
  /** A live host that notes the order in which processes are started. */
  class OrderedHost extends LiveHost {
    readonly started: string[] = [];
    override run(argv: readonly string[], options?: RunOptions) {
      this.started.push(argv.map((a) => path.basename(a)).join(' '));
      return super.run(argv, options);
    }
  }
  const machine = () => {
    const root = tempDir();
    writeFile(path.join(root, 'ws', 'go.mod'), 'module m\n\ngo 1.22\n');
    const tools = testTools();
    const goBin = (process.env.PATH ?? '').split(':').find((d) => existsSync(path.join(d, 'go')))!;
    const env = {
      HOME: quietHome(path.join(root, 'home')),
      PATH: [path.dirname(tools['dlv-new']), path.dirname(tools.gopls), goBin].join(':'),
      GOTOOLCHAIN: 'local',
      GOCACHE: process.env.GOCACHE ?? '/root/.cache/go-build',
    };
    return { ws: path.join(root, 'ws'), env };
  };

  it('gopls, then dlv, then go, with the same probes and verdicts as the checks alone', async () => {
    const { ws, env } = machine();
    const host = new OrderedHost(env);
    const report = await runDoctor({ host, workspace: ws });
    assert.deepEqual(host.started.slice(0, 3), ['gopls version -json', 'dlv version', `go env -json ${GO_ENV_KEYS.join(' ')}`]);
    // The checks on their own (no early start) run the same commands and reach the same verdicts.
    const alone = new OrderedHost(env);
    const checks = await runChecks(allChecks, new Facts({ host: alone, workspace: ws }));
    assert.deepEqual([...host.started].sort(), [...alone.started].sort());
    assert.deepEqual(
      report.checks.map((c) => [c.id, c.status, c.summary]),
      checks.map((c) => [c.id, c.status, c.summary]),
    );
  });
});

describe('the probes and Go telemetry', () => {
  it('dlv and gopls do not count a probe as a use, and no probe starts the telemetry helper', async () => {
    const root = tempDir();
    writeFile(path.join(root, 'ws', 'go.mod'), 'module m\n\ngo 1.22\n');
    const tools = testTools();
    const goBin = (process.env.PATH ?? '').split(':').find((d) => existsSync(path.join(d, 'go')))!;
    // Telemetry as Go leaves it by default ("local": counters are written, nothing is uploaded).
    const home = path.join(root, 'home');
    const host = new LiveHost({
      HOME: home,
      PATH: [path.dirname(tools['dlv-new']), path.dirname(tools.gopls), goBin].join(':'),
      GOTOOLCHAIN: 'local',
      GOCACHE: process.env.GOCACHE ?? '/root/.cache/go-build',
    });
    const report = await runDoctor({ host, workspace: path.join(root, 'ws') });
    assert.equal(report.probes.length, 3);
    const local = path.join(home, '.config', 'go', 'telemetry', 'local');
    const counters = existsSync(local) ? readdirSync(local).filter((f) => f.endsWith('.count')) : [];
    // The go command opens its own counters (cmd/go/main.go): its file shows telemetry was on here.
    assert.ok(
      counters.some((f) => f.startsWith('go@')),
      `go counts its own use: ${counters.join(', ')}`,
    );
    assert.deepEqual(
      counters.filter((f) => f.startsWith('gopls@') || f.startsWith('dlv@')),
      [],
    );
    // The helper would write its log and the upload token; with GO_TELEMETRY_CHILD=2 it never starts.
    assert.ok(!existsSync(path.join(local, 'upload.token')));
  });
});
