import type { Node } from 'jsonc-parser';

/** A text edit in the linted file: replace [offset, offset+length) with text. */
export interface TextEdit {
  offset: number;
  length: number;
  text: string;
}

/** Removes a property and its separating comma, leaving the rest of the line layout alone. */
export function removalEdit(text: string, prop: Node): TextEdit {
  let start = prop.offset;
  let end = prop.offset + prop.length;
  // Scans, not regular expressions over slices of the text: one fix per finding must stay cheap
  // in a file of 10,000 configurations.
  let next = end;
  while (next < text.length && /\s/.test(text[next]!)) next++;
  if (text[next] === ',') end = next + 1;
  else {
    let previous = start - 1;
    while (previous >= 0 && /\s/.test(text[previous]!)) previous--;
    if (text[previous] === ',') start = previous;
  }
  // Take the whole line when the property had it to itself.
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const lineEnd = text.indexOf('\n', end);
  if (/^[ \t]*$/.test(text.slice(lineStart, start)) && /^[ \t]*\r?$/.test(text.slice(end, lineEnd < 0 ? text.length : lineEnd))) {
    start = lineStart;
    end = lineEnd < 0 ? text.length : lineEnd + 1;
  }
  return { offset: start, length: end - start, text: '' };
}

export function replaceValueEdit(node: Node, value: unknown): TextEdit {
  return { offset: node.offset, length: node.length, text: JSON.stringify(value) };
}

export function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
  return [...edits]
    .sort((x, y) => y.offset - x.offset)
    .reduce((t, e) => t.slice(0, e.offset) + e.text + t.slice(e.offset + e.length), text);
}
