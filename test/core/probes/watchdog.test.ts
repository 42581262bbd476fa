import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { buildSync } from 'esbuild';
import { startPiped } from '../../../src/core/probes/pipedProcess';
import { processesWith, settled, tempDir, watchdogsOf, writeFile } from '../../helpers';

// The watchdog guards our processes against our death by SIGKILL, when no exit handler runs. A
// child Node process plays "us": it loads the real module, starts processes, guards them, lets one
// go, and is then killed with SIGKILL.

const dir = tempDir('gdd-watchdog-');
const bundle = path.join(dir, 'watchdog.cjs');
buildSync({
  stdin: {
    contents: "export { guardMark } from './src/core/probes/watchdog'; export { MARK_VARIABLE } from './src/core/probes/mark';",
    resolveDir: process.cwd(),
    loader: 'ts',
  },
  bundle: true,
  platform: 'node',
  format: 'cjs',
  outfile: bundle,
  logLevel: 'warning',
});

const PARENT = `
const { spawn } = require('node:child_process');
const { guardMark, MARK_VARIABLE } = require(${JSON.stringify(bundle)});
const groups = ['8115.1', '8115.2', '8115.3'].map((s, i) => {
  const guard = guardMark('m' + i);
  const child = spawn('sleep', [s], { detached: true, stdio: 'ignore', env: { ...process.env, [MARK_VARIABLE]: 'm' + i } });
  guard.started(child.pid);
  if (i === 1) guard.release();
  return child.pid;
});
// Killed between the start and started(): known by its mark only, as is a child that left the group.
guardMark('m3');
const late = spawn('sh', ['-c', 'sleep 8115.4 & sleep 8115.4'], { detached: true, stdio: 'ignore', env: { ...process.env, [MARK_VARIABLE]: 'm3' } });
groups.push(late.pid);
console.log(JSON.stringify(groups));
setInterval(() => {}, 1000);
`;

describe('guardMark', () => {
  it('one watchdog for every process: when we die by SIGKILL it ends those still guarded, also one not yet named by its group, and not one released', async () => {
    const script = writeFile(path.join(dir, 'parent.js'), PARENT);
    const parent = await startPiped([process.execPath, script], { env: process.env });
    const groups = await new Promise<number[]>((resolve) =>
      parent.stdout.once('data', (d: Buffer) => resolve(JSON.parse(String(d)) as number[])),
    );
    try {
      const until = Date.now() + 5000;
      const lateSleeps = () => processesWith('sleep 8115.4').filter((p) => !p.includes('&')).length;
      while (lateSleeps() < 2 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      assert.equal(lateSleeps(), 2);
      for (const s of ['8115.1', '8115.2', '8115.3']) assert.equal(processesWith(`sleep ${s}`).length, 1);
      // One watchdog for the three: its command line ends with our pid.
      const dogs = watchdogsOf(parent.pid);
      assert.equal(dogs.length, 1, dogs.join('\n'));
      process.kill(parent.pid, 'SIGKILL');
      assert.deepEqual(await settled('sleep 8115.1'), [], 'a guarded group died with its parent');
      assert.deepEqual(await settled('sleep 8115.3'), [], 'a guarded group died with its parent');
      assert.deepEqual(await settled('sleep 8115.4'), [], 'a process known by its mark only died with its parent');
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
