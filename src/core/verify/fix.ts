import { findNodeAtLocation, type Node } from 'jsonc-parser';
import { readWithSnapshot, writeFileAtomic } from '../io/files';
import { unifiedDiff } from '../launch/diff';
import { detectFormatting, insertMember, lineIndent, objectsAt, parseJsonc, pretty, startsLine } from '../launch/merge';
import type { VerifyFix } from './result';
import { InputError, JsoncFileError } from '../io/errors';

export interface FixPlan {
  /** launch.json as the plan was made from it: the write refuses if the file no longer holds this. */
  base: string;
  text: string;
  changed: boolean;
  applied: VerifyFix[];
  /** Fixes that would overwrite what the user wrote: shown, not applied. */
  manual: VerifyFix[];
  diff: string;
}

/**
 * Applies the automatic fixes to ONE configuration of launch.json by inserting text only: a new
 * attribute, an element at the end of an array, words at the end of a string. Everything else, the
 * user's comments included, stays byte for byte. Applying the same plan twice changes nothing.
 */
export function planFix(text: string, configName: string, fixes: readonly VerifyFix[], label = '.vscode/launch.json'): FixPlan {
  let out = text;
  const applied: VerifyFix[] = [];
  const manual: VerifyFix[] = [];
  const { unit, eol } = detectFormatting(text);
  const configNode = () => {
    const found = objectsAt(parseJsonc(out), 'configurations').find((o) => o.value.name === configName);
    if (!found) throw new JsoncFileError(`no configuration named "${configName}"`, 1, 1);
    return found;
  };
  for (const fix of fixes) {
    if (!fix.automatic) {
      manual.push(fix);
      continue;
    }
    const before = out;
    const { node, value } = configNode();
    if (fix.attribute === 'substitutePath') {
      const entries = (fix.value as { from: string; to: string }[]).filter((e) => !hasEntry(value.substitutePath, e));
      if (!entries.length) continue;
      const array = findNodeAtLocation(node, ['substitutePath']);
      if (!array) out = addMember(out, node, 'substitutePath', entries, unit, eol);
      else if (array.type === 'array')
        for (const e of entries) out = insertMember(out, reFind(out, configName, ['substitutePath']), null, unit, eol, e);
      else {
        manual.push(fix);
        continue;
      }
    } else if (fix.attribute === 'buildFlags') {
      const add = String(fix.value);
      const tags = /^-tags=(.+)$/.exec(add)?.[1]?.split(',') ?? [];
      const flags = findNodeAtLocation(node, ['buildFlags']);
      if (!flags) out = addMember(out, node, 'buildFlags', add, unit, eol);
      else if (flags.type === 'string') out = extendFlagString(out, flags, tags, add);
      else if (flags.type === 'array') {
        const tagNode = (flags.children ?? []).find((c) => c.type === 'string' && /^--?tags=/.test(String(c.value)));
        if (tagNode) out = extendFlagString(out, tagNode, tags, add);
        else out = insertArrayString(out, flags, add, unit, eol);
      } else {
        manual.push(fix);
        continue;
      }
    } else if (fix.attribute.startsWith('env.')) {
      const key = fix.attribute.slice(4);
      const env = findNodeAtLocation(node, ['env']);
      if (!env) out = addMember(out, node, 'env', { [key]: fix.value as string }, unit, eol);
      else if (env.type === 'object' && !findNodeAtLocation(env, [key])) out = addMember(out, env, key, fix.value, unit, eol);
      else {
        manual.push(fix);
        continue;
      }
    } else {
      manual.push(fix);
      continue;
    }
    if (out !== before) applied.push(fix);
  }
  return { base: text, text: out, changed: out !== text, applied, manual, diff: out === text ? '' : unifiedDiff(text, out, label) };
}

/**
 * Writes the planned text over launch.json (through a symbolic link to its target, keeping the
 * file's mode), unless the file was saved since the plan was made: the user's save wins.
 */
export async function writeFix(file: string, plan: Pick<FixPlan, 'base' | 'text'>): Promise<void> {
  const current = await readWithSnapshot(file, 'launch.json');
  if (!current || current.bytes.toString('utf8') !== plan.base) {
    throw new InputError(
      'launch.json changed while the fix was prepared; nothing was written. Verify again to get a fix for the file as it is now.',
    );
  }
  await writeFileAtomic(file, plan.text, { expect: current.snapshot, label: 'launch.json' });
}

function hasEntry(existing: unknown, e: { from: string; to: string }): boolean {
  return (
    Array.isArray(existing) &&
    existing.some((x) => x && typeof x === 'object' && (x as { from?: unknown }).from === e.from && (x as { to?: unknown }).to === e.to)
  );
}

function reFind(text: string, configName: string, at: string[]): Node {
  const found = objectsAt(parseJsonc(text), 'configurations').find((o) => o.value.name === configName)!;
  return findNodeAtLocation(found.node, at)!;
}

function addMember(text: string, object: Node, key: string, value: unknown, unit: string, eol: string): string {
  const children = object.children ?? [];
  const last = children[children.length - 1];
  const indent = last && startsLine(text, last.offset) ? lineIndent(text, last.offset) : lineIndent(text, object.offset) + unit;
  return insertMember(text, object, `${JSON.stringify(key)}: ${pretty(value, indent, unit, eol)}`, unit, eol);
}

/** `"-trimpath"` + tags → `"-trimpath -tags=x"`; `"-tags=a"` → `"-tags=a,x"`: words inserted before the closing quote or after the tag list. */
function extendFlagString(text: string, node: Node, tags: string[], add: string): string {
  const value = String(node.value);
  const m = /(^|\s)--?tags[= ]([^\s]*)/.exec(value);
  if (m && tags.length) {
    const have = m[2]!.split(',').filter(Boolean);
    const missing = tags.filter((t) => !have.includes(t));
    if (!missing.length) return text;
    const raw = text.slice(node.offset + 1, node.offset + node.length - 1);
    // The end of the tag list in the raw (escaped) text: tags hold no characters JSON escapes.
    const tagsAt = raw.indexOf(m[0].trimStart()) + m[0].trimStart().length;
    const at = node.offset + 1 + tagsAt;
    return text.slice(0, at) + (have.length ? ',' : '') + missing.join(',') + text.slice(at);
  }
  const at = node.offset + node.length - 1;
  const sep = value.trim() ? ' ' : '';
  return text.slice(0, at) + JSON.stringify(sep + add).slice(1, -1) + text.slice(at);
}

function insertArrayString(text: string, array: Node, add: string, unit: string, eol: string): string {
  const children = array.children ?? [];
  const last = children[children.length - 1];
  if (last && !startsLine(text, last.offset)) {
    // ["-a", "-b"] on one line: keep it on one line.
    const end = last.offset + last.length;
    return text.slice(0, end) + `, ${JSON.stringify(add)}` + text.slice(end);
  }
  return insertMember(text, array, JSON.stringify(add), unit, eol);
}
