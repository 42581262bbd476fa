import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { goplsVersionFromServerInfo, matchGoTooOld } from '../../../src/core/lsp/goplsMessages';

describe('gopls messages', () => {
  it('reads the release from serverInfo.version (JSON) in its old and new shapes', () => {
    assert.equal(goplsVersionFromServerInfo('{"GoVersion":"go1.26.8","Main":{"Version":"v0.23.0"},"Version":"v0.23.0"}'), 'v0.23.0');
    assert.equal(goplsVersionFromServerInfo('{"path":"golang.org/x/tools/gopls","version":"v0.7.5"}'), 'v0.7.5');
    assert.equal(goplsVersionFromServerInfo('{"Main":{"Version":"(devel)"},"Version":"(devel)"}'), undefined);
    assert.equal(goplsVersionFromServerInfo(undefined), undefined);
  });

  it('reads the built-with form of the Go-too-old message and ignores other messages', () => {
    assert.equal(matchGoTooOld('Gopls was built with Go version 1.17, which is not supported by this version of gopls. ')?.fromBuild, true);
    assert.equal(matchGoTooOld('Invalid settings: unknown setting'), undefined);
  });
});
