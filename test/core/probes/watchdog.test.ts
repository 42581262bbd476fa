import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { buildSync } from 'esbuild';
import { startPiped } from '../../../src/core/probes/pipedProcess';
import { processesWith, settled, tempDir, watchdogsOf, writeFile } from '../../helpers';

// The watchdog guards process groups against our death by SIGKILL, when no exit handler runs. A
// child Node process plays "us": it loads the real module, starts three groups, guards them, lets
// one go, and is then killed with SIGKILL.

const dir = tempDir('gdd-watchdog-');
const bundle = path.join(dir, 'watchdog.cjs');
buildSync({
  entryPoints: ['src/core/probes/watchdog.ts'],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  outfile: bundle,
  logLevel: 'warning',
});

const PARENT = `
const { spawn } = require('node:child_process');
const { guardGroup } = require(${JSON.stringify(bundle)});
const groups = ['8115.1', '8115.2', '8115.3'].map((s) => spawn('sleep', [s], { detached: true, stdio: 'ignore' }).pid);
const releases = groups.map((g) => guardGroup(g));
releases[1]();
console.log(JSON.stringify(groups));
setInterval(() => {}, 1000);
`;

describe('guardGroup', () => {
  it('one watchdog for every group: when we die by SIGKILL it ends the groups still guarded, not one released', async () => {
    const script = writeFile(path.join(dir, 'parent.js'), PARENT);
    const parent = await startPiped([process.execPath, script], { env: process.env });
    const groups = await new Promise<number[]>((resolve) =>
      parent.stdout.once('data', (d: Buffer) => resolve(JSON.parse(String(d)) as number[])),
    );
    try {
      assert.equal(processesWith('sleep 8115.').length, 3);
      // One watchdog for the three: its command line ends with our pid.
      const dogs = watchdogsOf(parent.pid);
      assert.equal(dogs.length, 1, dogs.join('\n'));
      process.kill(parent.pid, 'SIGKILL');
      assert.deepEqual(await settled('sleep 8115.1'), [], 'a guarded group died with its parent');
      assert.deepEqual(await settled('sleep 8115.3'), [], 'a guarded group died with its parent');
      assert.equal(processesWith('sleep 8115.2').length, 1, 'the released group is left alone');
      assert.deepEqual(await settled(`process.stdin.on`, 3000).then((l) => l.filter((p) => p.trimEnd().endsWith(` ${parent.pid}`))), []);
    } finally {
      for (const g of groups) {
        try {
          process.kill(-g, 'SIGKILL');
        } catch {
          // gone
        }
      }
      await parent.stop();
    }
  });
});
