import type { SafeActionId } from '../actions/safeActions';
import delveErrorData from './delveErrors.json';

/** The actions a Delve error row may offer (all of them safe actions of the checks). */
export type DelveErrorAction = Extract<SafeActionId, 'installDlv' | 'openSettings' | 'generateLaunch'>;
export type DelveErrorPlatform = 'darwin' | 'linux' | 'any';

/** One of Delve's own messages, with its cause and fix (src/core/knowledge/delveErrors.json). */
export interface DelveErrorEntry {
  id: string;
  /** JavaScript regular expression source, case-sensitive, matched within one line. */
  pattern: string;
  /** One full message as Delve prints it. */
  example: string;
  /** The Delve tags that print it. */
  versions: string;
  platform: DelveErrorPlatform;
  cause: string;
  fix: string;
  fixCommand?: string;
  action?: DelveErrorAction;
  /** owner/repo@tag: path(s) of the format string (Delve, the Go extension or the go command). */
  source: string;
  /** Only says that a step failed: left out when a more specific row matches the same output. */
  generic?: boolean;
  /** Wider rows this one makes redundant when both match the same output. */
  supersedes?: string[];
}

export interface DelveErrorMatch {
  id: string;
  cause: string;
  fix: string;
  fixCommand?: string;
  action?: DelveErrorAction;
  source: string;
  versions: string;
  generic?: boolean;
  /** The output line that holds the match (trimmed), or the match itself when that line is very long. */
  message: string;
  /** The pattern's capture groups, trimmed (output may end lines in spaces or \r); a group that did not take part is ''. */
  groups: string[];
}

const PLATFORMS: readonly string[] = ['darwin', 'linux', 'any'] satisfies readonly DelveErrorPlatform[];
const ACTIONS: readonly string[] = ['installDlv', 'openSettings', 'generateLaunch'] satisfies readonly DelveErrorAction[];
const REQUIRED = ['id', 'pattern', 'example', 'versions', 'platform', 'cause', 'fix', 'source'] as const;
const OPTIONAL = ['fixCommand', 'action', 'generic', 'supersedes'] as const;
const KNOWN_KEYS: readonly string[] = [...REQUIRED, ...OPTIONAL];

/** A line longer than this is replaced by the matched text in DelveErrorMatch.message. */
const MAX_MESSAGE = 500;

function isPlatform(v: string): v is DelveErrorPlatform {
  return PLATFORMS.includes(v);
}

function isAction(v: string): v is DelveErrorAction {
  return ACTIONS.includes(v);
}

function bad(index: number, why: string): never {
  throw new Error(`bad Delve error row #${index} in delveErrors.json: ${why}`);
}

function parseEntry(raw: unknown, index: number): DelveErrorEntry {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) bad(index, 'not an object');
  const row = raw as Record<string, unknown>;
  for (const key of Object.keys(row)) if (!KNOWN_KEYS.includes(key)) bad(index, `unknown key ${key}`);
  const text = (
    key: (typeof REQUIRED)[number] | Exclude<(typeof OPTIONAL)[number], 'generic' | 'supersedes'>,
    required: boolean,
  ): string | undefined => {
    const v = row[key];
    if (v === undefined && !required) return undefined;
    if (typeof v !== 'string' || v.trim() === '') bad(index, `${key} must be a non-empty string`);
    return v;
  };
  const id = text('id', true)!;
  if (!/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(id)) bad(index, `id ${id} is not kebab-case`);
  const platform = text('platform', true)!;
  if (!isPlatform(platform)) bad(index, `${id}: platform ${platform}`);
  const action = text('action', false);
  if (action !== undefined && !isAction(action)) bad(index, `${id}: action ${action}`);
  const fixCommand = text('fixCommand', false);
  if (row.generic !== undefined && row.generic !== true) bad(index, `${id}: generic must be true when present`);
  const supersedes = row.supersedes;
  if (supersedes !== undefined && !(Array.isArray(supersedes) && supersedes.length && supersedes.every((s) => typeof s === 'string')))
    bad(index, `${id}: supersedes must be a list of row ids`);
  return {
    id,
    pattern: text('pattern', true)!,
    example: text('example', true)!,
    versions: text('versions', true)!,
    platform,
    cause: text('cause', true)!,
    fix: text('fix', true)!,
    ...(fixCommand !== undefined ? { fixCommand } : {}),
    ...(action !== undefined ? { action } : {}),
    source: text('source', true)!,
    ...(row.generic === true ? { generic: true } : {}),
    ...(supersedes !== undefined ? { supersedes: supersedes as string[] } : {}),
  };
}

function parseTable(raw: unknown): DelveErrorEntry[] {
  if (!Array.isArray(raw)) throw new Error('delveErrors.json: "errors" must be an array');
  const rows = raw.map((r: unknown, i) => parseEntry(r, i));
  const seen = new Set<string>();
  for (const r of rows) {
    if (seen.has(r.id)) throw new Error(`delveErrors.json: duplicate id ${r.id}`);
    seen.add(r.id);
  }
  for (const r of rows)
    for (const s of r.supersedes ?? []) if (!seen.has(s)) throw new Error(`delveErrors.json: ${r.id} supersedes unknown row ${s}`);
  return rows;
}

export const delveErrors: readonly DelveErrorEntry[] = parseTable((delveErrorData as { errors: unknown }).errors);

/** Each row's pattern, compiled once. Case-sensitive, no flags: the first match in the text is the one reported. */
const compiled: readonly { entry: DelveErrorEntry; re: RegExp }[] = delveErrors.map((entry) => {
  try {
    return { entry, re: new RegExp(entry.pattern) };
  } catch (e) {
    throw new Error(`delveErrors.json: ${entry.id}: pattern does not compile: ${(e as Error).message}`, { cause: e });
  }
});

function lineAround(text: string, index: number, matched: string): string {
  const start = text.lastIndexOf('\n', index - 1) + 1;
  const end = text.indexOf('\n', index);
  const line = text.slice(start, end === -1 ? text.length : end).trim();
  return line.length > MAX_MESSAGE ? matched.trim() : line;
}

/**
 * The known messages in a piece of dlv, DAP or Debug Console output: one match per row (its first
 * occurrence), ordered by where that occurrence starts in the text, rows in table order on a tie.
 * A pattern matches within one line unless it spells out the line break (a go build failure quotes
 * its command line, then the compiler's lines). Generic rows are left out when a specific one matched.
 */
export function explainDelveOutput(text: string): DelveErrorMatch[] {
  if (!text) return [];
  const found: { at: number; order: number; match: DelveErrorMatch }[] = [];
  compiled.forEach(({ entry, re }, order) => {
    const m = re.exec(text);
    if (!m) return;
    found.push({
      at: m.index,
      order,
      match: {
        id: entry.id,
        cause: entry.cause,
        fix: entry.fix,
        ...(entry.fixCommand !== undefined ? { fixCommand: entry.fixCommand } : {}),
        ...(entry.action !== undefined ? { action: entry.action } : {}),
        source: entry.source,
        versions: entry.versions,
        ...(entry.generic ? { generic: true } : {}),
        message: lineAround(text, m.index, m[0]),
        groups: m.slice(1).map((g) => (g ?? '').trim()),
      },
    });
  });
  found.sort((a, b) => a.at - b.at || a.order - b.order);
  const specific = found.some((f) => !f.match.generic);
  const superseded = new Set(found.flatMap((f) => compiled[f.order]!.entry.supersedes ?? []));
  return found.filter((f) => !(specific && f.match.generic) && !superseded.has(f.match.id)).map((f) => f.match);
}

export function findDelveError(id: string): DelveErrorEntry | undefined {
  return delveErrors.find((e) => e.id === id);
}
