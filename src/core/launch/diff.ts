/** Above this many cells the middle is shown as removed then added, not aligned line by line. */
const MAX_LCS_CELLS = 4_000_000;

/**
 * A unified diff of two texts by lines, for the dry-run preview. The common head and tail are
 * matched directly; only the middle goes through the longest-common-subsequence table, so an
 * insertion into a file of 50,000 lines costs a pass over it, not a 50,000 x 50,000 table.
 */
export function unifiedDiff(before: string, after: string, name: string, context = 3): string {
  if (before === after) return '';
  const lines = (text: string) => (text === '' ? [] : text.replace(/\n$/, '').split('\n'));
  const a = lines(before);
  const b = lines(after);
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  type Op = { kind: ' ' | '-' | '+'; text: string; ai: number; bi: number };
  const ops: Op[] = [];
  for (let k = 0; k < head; k++) ops.push({ kind: ' ', text: a[k]!, ai: k, bi: k });
  const n = a.length - tail;
  const m = b.length - tail;
  let i = head;
  let j = head;
  if ((n - head) * (m - head) > MAX_LCS_CELLS) {
    while (i < n) ops.push({ kind: '-', text: a[i]!, ai: i++, bi: j });
    while (j < m) ops.push({ kind: '+', text: b[j]!, ai: i, bi: j++ });
  } else {
    const width = m - head + 1;
    const lcs = new Uint32Array((n - head + 1) * width);
    const at = (x: number, y: number) => (x - head) * width + (y - head);
    for (let x = n - 1; x >= head; x--)
      for (let y = m - 1; y >= head; y--)
        lcs[at(x, y)] = a[x] === b[y] ? lcs[at(x + 1, y + 1)]! + 1 : Math.max(lcs[at(x + 1, y)]!, lcs[at(x, y + 1)]!);
    while (i < n || j < m) {
      if (i < n && j < m && a[i] === b[j]) ops.push({ kind: ' ', text: a[i]!, ai: i++, bi: j++ });
      else if (j < m && (i >= n || lcs[at(i, j + 1)]! >= lcs[at(i + 1, j)]!)) ops.push({ kind: '+', text: b[j]!, ai: i, bi: j++ });
      else ops.push({ kind: '-', text: a[i]!, ai: i++, bi: j });
    }
  }
  for (let k = 0; k < tail; k++) ops.push({ kind: ' ', text: a[n + k]!, ai: n + k, bi: m + k });
  const out = [`--- ${before ? name : '/dev/null'}`, `+++ ${name}`];
  const changed = ops.flatMap((o, index) => (o.kind === ' ' ? [] : [index]));
  let h = 0;
  while (h < changed.length) {
    let last = h;
    // Changes closer than two contexts apart share a hunk.
    while (last + 1 < changed.length && changed[last + 1]! - changed[last]! <= 2 * context) last++;
    const hunk = ops.slice(Math.max(0, changed[h]! - context), Math.min(ops.length, changed[last]! + context + 1));
    const aCount = hunk.filter((o) => o.kind !== '+').length;
    const bCount = hunk.filter((o) => o.kind !== '-').length;
    out.push(`@@ -${hunk[0]!.ai + (aCount ? 1 : 0)},${aCount} +${hunk[0]!.bi + (bCount ? 1 : 0)},${bCount} @@`);
    for (const o of hunk) out.push(`${o.kind}${o.text}`);
    h = last + 1;
  }
  return out.join('\n') + '\n';
}
