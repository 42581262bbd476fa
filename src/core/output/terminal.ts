/**
 * Text for a terminal with only our own colours (a foreground colour or the reset) left as control
 * sequences. What a debug adapter, a
 * tool or a file says reaches the user's terminal through us; an escape sequence in it could move
 * the cursor, rewrite lines already printed, set the window title or worse. Control characters
 * other than tab and newline are shown the way `cat -v` shows them (ESC as ^[, CR as ^M), C1
 * controls (which some terminals obey as escape sequences) as U+FFFD. JSON stays valid JSON: it
 * holds C0 characters only escaped, and a replaced C1 is still a character.
 */
export function printable(text: string): string {
  if (!UNSAFE.test(text)) return text;
  return text.replace(SGR_OR_CONTROL, (match) => {
    if (match.length > 1) return match;
    const code = match.charCodeAt(0);
    if (code === 0x7f) return '^?';
    if (code < 0x20) return `^${String.fromCharCode(code + 0x40)}`;
    return '\uFFFD';
  });
}

// eslint-disable-next-line no-control-regex
const UNSAFE = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/;
/** One of our colours (red, green, yellow, magenta, grey, reset), or one control character. */
// eslint-disable-next-line no-control-regex
const SGR_OR_CONTROL = /\x1b\[(?:0|3[1235]|90)?m|[\x00-\x08\x0b-\x1f\x7f-\x9f]/g;
