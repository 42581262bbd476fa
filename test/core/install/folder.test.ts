import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { defaultInstallDir, installedPinnedDlv, pinnedDlvPath } from '../../../src/core/install/folder';
import { LiveHost } from '../../../src/core/probes/host';
import { ReplayHost, type Recording } from '../../../src/core/probes/recording';
import { tempDir, writeFile } from '../../helpers';

/** A machine of another OS, as a recording describes it (its home folder is "~"). */
const machine = (platform: NodeJS.Platform, env: Record<string, string> = {}) =>
  new ReplayHost({ format: 'go-debug-doctor-recording', version: 1, platform, arch: 'x64', env, files: {}, probes: [] } as Recording);

describe("the CLI's own folder for the pinned dlv", () => {
  it("is the platform's place for per-user application data", () => {
    assert.equal(defaultInstallDir(machine('darwin')), path.join('~', 'Library', 'Application Support', 'go-debug-doctor', 'bin'));
    assert.equal(defaultInstallDir(machine('linux')), path.join('~', '.local', 'share', 'go-debug-doctor', 'bin'));
    assert.equal(defaultInstallDir(machine('linux', { XDG_DATA_HOME: '/data' })), '/data/go-debug-doctor/bin');
    assert.equal(
      defaultInstallDir(machine('win32', { LOCALAPPDATA: 'C:\\Users\\me\\AppData\\Local' })).endsWith('go-debug-doctor/bin'),
      true,
    );
    assert.match(pinnedDlvPath(machine('win32')), /dlv\.exe$/);
    assert.match(pinnedDlvPath(machine('darwin')), /\/bin\/dlv$/);
  });

  it('names the pinned dlv only when one is installed there', async () => {
    const data = tempDir();
    const host = new LiveHost({ HOME: path.join(data, 'home'), XDG_DATA_HOME: data });
    assert.equal(await installedPinnedDlv(host), undefined);
    writeFile(path.join(data, 'go-debug-doctor', 'bin', 'dlv'), '#!/bin/sh\n', true);
    assert.equal(await installedPinnedDlv(host), path.join(data, 'go-debug-doctor', 'bin', 'dlv'));
  });
});
