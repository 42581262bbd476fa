import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { printable } from '../../../src/core/output/terminal';

describe('printable: text for a terminal with no control sequences but our colours', () => {
  it('keeps our colours, tabs and newlines; shows every other control character', () => {
    assert.equal(printable('\x1b[32mPASS\x1b[0m\tok\n'), '\x1b[32mPASS\x1b[0m\tok\n');
    assert.equal(printable('a\x1b]0;title\x07b'), 'a^[]0;title^Gb');
    assert.equal(printable('\x1b[2J\x1b[1;1H\rFAKE'), '^[[2J^[[1;1H^MFAKE');
    assert.equal(printable('conceal \x1b[8m hidden'), 'conceal ^[[8m hidden');
    assert.equal(printable('c1 \x9b31m and del \x7f'), 'c1 \uFFFD31m and del ^?');
  });

  it('for any text: no control character is left except tab, newline and the ESC of an allowed colour', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        const out = printable(text);
        // eslint-disable-next-line no-control-regex
        const left = out.replace(/\x1b\[(?:0|3[1235]|90)?m/g, '');
        // eslint-disable-next-line no-control-regex
        assert.doesNotMatch(left, /[\x00-\x08\x0b-\x1f\x7f-\x9f]/);
        assert.equal(printable(out), out);
      }),
      { numRuns: 3000 },
    );
  });
});
