import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { killChildrenUntilDead } from '../../../src/core/probes/processGroup';
import { startServer } from '../../../src/core/probes/server';
import { processesWith } from '../../helpers';

describe('killChildrenUntilDead', { skip: process.platform !== 'linux' && 'reads /proc' }, () => {
  it('kills what a process started, with their groups, and returns once they are dead; the parent lives', async () => {
    // A parent that starts a child in a group of its own (as Delve starts the program) and one in its
    // own group, then waits without reaping: the children stay zombies for us to see.
    const parent = await startServer(['sh', '-c', 'setsid sleep 8118.1 & sleep 8118.2 & echo ready; exec sleep 60'], {
      ready: /^ready/m,
      timeoutMs: 10_000,
    });
    try {
      // "ready" can come before both have exec'd (a command line reads empty mid-exec on a busy machine).
      const until = Date.now() + 5_000;
      while (processesWith('sleep 8118.').length !== 2 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      assert.equal(processesWith('sleep 8118.').length, 2);
      const children = await killChildrenUntilDead(parent.pid, 2_000);
      assert.equal(children.length, 2);
      assert.deepEqual(processesWith('sleep 8118.'), [], 'both children are dead (zombies have no command line)');
      assert.doesNotThrow(() => process.kill(parent.pid, 0), 'the parent is alive');
      assert.deepEqual(await killChildrenUntilDead(process.pid + 1_000_000, 100), [], 'no such process: nothing to do');
    } finally {
      await parent.stop();
    }
  });
});
