import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { shellQuote } from '../../../src/core/probes/display';

describe('shellQuote', () => {
  it('quotes fixes for copying', () => {
    assert.equal(
      shellQuote(['go', 'install', 'github.com/go-delve/delve/cmd/dlv@v1.27.2']),
      'go install github.com/go-delve/delve/cmd/dlv@v1.27.2',
    );
    assert.equal(shellQuote(['echo', "it's a $HOME"]), `echo 'it'\\''s a $HOME'`);
  });
});
