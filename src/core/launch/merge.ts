import { findNodeAtLocation, getNodeValue, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import { isDeepStrictEqual } from 'node:util';
import type { JsonObject } from './generate';
import { InputError, JsoncFileError } from '../io/errors';
import { checkJsonDepth, MAX_JSON_DEPTH } from '../io/read';

export type JsonFileKind = 'launch' | 'tasks';

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
  try {
    // jsonc-parser recurses once per level: 100,000 nested brackets would overflow the stack.
    checkJsonDepth(text, 'the file');
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    throw new JsoncFileError(`nested more than ${MAX_JSON_DEPTH} levels deep`, 1, 1);
  }
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
  // Lint asks once per finding: index the line starts once per text (a binary search each), so
  // thousands of findings in a large file stay linear.
  if (lineIndex.text !== text) {
    const starts = [0];
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    lineIndex = { text, starts };
  }
  const { starts } = lineIndex;
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - starts[lo]! + 1 };
}

let lineIndex: { text: string | undefined; starts: number[] } = { text: undefined, starts: [0] };

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
export function mergeEntries(
  text: string | undefined,
  kind: JsonFileKind,
  entries: readonly JsonObject[],
  policy: ClashPolicy = 'skip',
): MergeResult {
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
    array = reparse().array!;
  }
  // One pass over the entries against a name index, then every edit at once: linear in the number
  // of configurations (re-parsing after each insertion made 10,000 of them take minutes).
  const named = new Map<string, { value: unknown; position?: number }>();
  namedEntries(array, layout.key).forEach((e) => {
    if (e.name !== undefined && !named.has(e.name)) named.set(e.name, { value: e.value, position: e.position });
  });
  const replacements: { node: Node; entry: JsonObject }[] = [];
  const inserts: JsonObject[] = [];
  for (const entry of entries) {
    const name = String(entry[layout.key]);
    const found = named.get(name);
    if (!found) {
      inserts.push(entry);
      named.set(name, { value: entry });
      result.added.push(name);
    } else if (isDeepStrictEqual(found.value, entry)) {
      result.unchanged.push(name);
    } else if (policy === 'replace') {
      if (found.position !== undefined) replacements.push({ node: array.children![found.position]!, entry });
      else inserts[inserts.findIndex((e) => String(e[layout.key]) === name)] = entry;
      found.value = entry;
      result.replaced.push(name);
    } else if (policy === 'rename') {
      let n = 2;
      while (named.has(`${name} (${n})`)) n++;
      const renamed = { ...entry, [layout.key]: `${name} (${n})` };
      inserts.push(renamed);
      named.set(`${name} (${n})`, { value: renamed });
      result.renamed.push(`${name} (${n})`);
    } else {
      result.clashes.push(name);
    }
  }
  // Insertions go after the last member, so the replaced members' offsets (all before it) stay valid.
  if (inserts.length) result.text = insertMember(result.text, array, null, unit, eol, inserts);
  for (const { node, entry } of replacements.sort((a, b) => b.node.offset - a.node.offset)) {
    const indent = lineIndent(result.text, node.offset);
    result.text = result.text.slice(0, node.offset) + pretty(entry, indent, unit, eol) + result.text.slice(node.offset + node.length);
  }
  result.changed = result.text !== (text ?? '');
  return result;
}

/**
 * Inserts members at the end of an object or array node without touching existing text: a
 * comma after the last member when it has none, then each member on its own line before the
 * closing bracket, indented like its siblings.
 */
export function insertMember(
  text: string,
  container: Node,
  member: string | null,
  unit: string,
  eol: string,
  value?: JsonObject | readonly JsonObject[],
): string {
  const close = container.offset + container.length - 1;
  const children = container.children ?? [];
  const last = children[children.length - 1];
  const baseIndent = lineIndent(text, container.offset);
  const memberIndent = last && startsLine(text, last.offset) ? lineIndent(text, last.offset) : baseIndent + unit;
  const values: readonly JsonObject[] = value === undefined ? [] : Array.isArray(value) ? value : [value as JsonObject];
  const body = member ?? values.map((v) => pretty(v, memberIndent, unit, eol)).join(`,${eol}${memberIndent}`);
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
  return JSON.stringify(value, null, unit)
    .split('\n')
    .join(eol + indent);
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
