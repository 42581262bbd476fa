import { findNodeAtLocation, getNodeValue, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import { isDeepStrictEqual } from 'node:util';
import type { JsonObject } from './generate';

export type JsonFileKind = 'launch' | 'tasks';

/** A launch.json/tasks.json we will not touch, with where the problem is. */
export class JsoncFileError extends Error {
  constructor(message: string, readonly line: number, readonly column: number) {
    super(`line ${line}, column ${column}: ${message}`);
  }
}

export type ClashPolicy = 'skip' | 'replace' | 'rename';

export interface MergeResult {
  text: string;
  changed: boolean;
  added: string[];
  unchanged: string[];
  /** Same name, different content: left alone under "skip". */
  clashes: string[];
  replaced: string[];
  /** New name given under "rename". */
  renamed: string[];
}

const LAYOUT: Record<JsonFileKind, { array: string; key: string; version: string }> = {
  launch: { array: 'configurations', key: 'name', version: '0.2.0' },
  tasks: { array: 'tasks', key: 'label', version: '2.0.0' },
};

const PARSE_OPTIONS = { allowTrailingComma: true, disallowComments: false, allowEmptyContent: true };

/** Parses JSONC the way VS Code reads launch.json, or throws a JsoncFileError pointing at the line. */
export function parseJsonc(text: string): Node | undefined {
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, PARSE_OPTIONS);
  const first = errors[0];
  if (first) {
    const { line, column } = lineColumn(text, first.offset);
    throw new JsoncFileError(`${describe(printParseErrorCode(first.error))}`, line, column);
  }
  return root;
}

function describe(code: string): string {
  return code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

/** One level of indentation and the line end, as the file already has them. */
export function detectFormatting(text: string): { unit: string; eol: string } {
  const indent = /^([ \t]+)\S/m.exec(text)?.[1];
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  if (indent?.startsWith('\t')) return { unit: '\t', eol };
  return { unit: ' '.repeat(indent ? Math.min(indent.length, 8) : 4), eol };
}

/** The objects in the array at `key` of a parsed file, each with its node and its plain value. */
export function objectsAt(root: Node | undefined, key: string): { node: Node; value: Record<string, unknown> }[] {
  const array = root ? findNodeAtLocation(root, [key]) : undefined;
  if (array?.type !== 'array') return [];
  return (array.children ?? []).filter((n) => n.type === 'object').map((node) => ({ node, value: plain(node) as Record<string, unknown> }));
}

/** getNodeValue builds objects without a prototype; a JSON round trip makes them ordinary (and comparable). */
function plain(node: Node): unknown {
  return JSON.parse(JSON.stringify(getNodeValue(node))) as unknown;
}

/**
 * Adds entries to launch.json's "configurations" (or tasks.json's "tasks") by inserting text only:
 * comments, formatting, order and every other byte of the file stay where they were. An entry whose
 * name exists with the same content is left alone, so a second run changes nothing.
 */
export function mergeEntries(text: string | undefined, kind: JsonFileKind, entries: readonly JsonObject[], policy: ClashPolicy = 'skip'): MergeResult {
  const layout = LAYOUT[kind];
  const result: MergeResult = { text: text ?? '', changed: false, added: [], unchanged: [], clashes: [], replaced: [], renamed: [] };
  if (!result.text.trim()) result.text = `{\n    "version": "${layout.version}",\n    "${layout.array}": []\n}\n`;
  const { unit, eol } = detectFormatting(result.text);
  const reparse = () => {
    const root = parseJsonc(result.text);
    if (!root || root.type !== 'object') throw new JsoncFileError('the file must hold one JSON object', 1, 1);
    const array = findNodeAtLocation(root, [layout.array]);
    if (array && array.type !== 'array') {
      const { line, column } = lineColumn(result.text, array.offset);
      throw new JsoncFileError(`"${layout.array}" must be an array`, line, column);
    }
    return { root, array };
  };
  const first = reparse();
  let array = first.array;
  if (!array) {
    result.text = insertMember(result.text, first.root, `${JSON.stringify(layout.array)}: []`, unit, eol);
    array = reparse().array;
  }
  for (const entry of entries) {
    const name = String(entry[layout.key]);
    const existing = namedEntries(array!, layout.key);
    const found = existing.find((e) => e.name === name);
    let insert: JsonObject | undefined;
    if (!found) {
      insert = entry;
      result.added.push(name);
    } else if (isDeepStrictEqual(found.value, entry)) {
      result.unchanged.push(name);
    } else if (policy === 'replace') {
      const node = array!.children![found.position]!;
      const indent = lineIndent(result.text, node.offset);
      result.text = result.text.slice(0, node.offset) + pretty(entry, indent, unit, eol) + result.text.slice(node.offset + node.length);
      result.replaced.push(name);
    } else if (policy === 'rename') {
      let n = 2;
      while (existing.some((e) => e.name === `${name} (${n})`)) n++;
      insert = { ...entry, [layout.key]: `${name} (${n})` };
      result.renamed.push(`${name} (${n})`);
    } else {
      result.clashes.push(name);
    }
    if (insert) result.text = insertMember(result.text, array!, null, unit, eol, insert);
    array = reparse().array;
  }
  result.changed = result.text !== (text ?? '');
  return result;
}

/**
 * Inserts one member at the end of an object or array node without touching existing text: a
 * comma after the last member when it has none, then the member on its own line before the
 * closing bracket, indented like its siblings.
 */
export function insertMember(text: string, container: Node, member: string | null, unit: string, eol: string, value?: JsonObject): string {
  const close = container.offset + container.length - 1;
  const children = container.children ?? [];
  const last = children[children.length - 1];
  const baseIndent = lineIndent(text, container.offset);
  const memberIndent = last && startsLine(text, last.offset) ? lineIndent(text, last.offset) : baseIndent + unit;
  const body = member ?? pretty(value!, memberIndent, unit, eol);
  let out = text;
  let shift = 0;
  if (last && !/^\s*(\/\/[^\n]*\n\s*|\/\*[\s\S]*?\*\/\s*)*,/.test(text.slice(last.offset + last.length, close))) {
    out = out.slice(0, last.offset + last.length) + ',' + out.slice(last.offset + last.length);
    shift = 1;
  }
  const at = close + shift;
  const lineStart = out.lastIndexOf('\n', at - 1) + 1;
  if (/^[ \t]*$/.test(out.slice(lineStart, at))) {
    // The closing bracket has a line of its own: the member goes on a new line just above it.
    return out.slice(0, lineStart) + memberIndent + body + eol + out.slice(lineStart);
  }
  return out.slice(0, at) + eol + memberIndent + body + eol + baseIndent + out.slice(at);
}

/** A value as indented JSON whose first line starts at `indent`. */
export function pretty(value: unknown, indent: string, unit: string, eol: string): string {
  return JSON.stringify(value, null, unit).split('\n').join(eol + indent);
}

export function lineIndent(text: string, offset: number): string {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(start))![0];
}

export function startsLine(text: string, offset: number): boolean {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*$/.test(text.slice(start, offset));
}

function namedEntries(array: Node, key: string): { name: string | undefined; value: unknown; position: number }[] {
  return (array.children ?? []).map((child, position) => {
    const value = plain(child);
    const name = value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>)[key] : undefined;
    return { name: typeof name === 'string' ? name : undefined, value, position };
  });
}
