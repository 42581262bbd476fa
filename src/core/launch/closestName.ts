/** A known name within two edits (a likely typo), else undefined. */
export function closest(word: string, candidates: string[]): string | undefined {
  // Edit distance costs length × length: a pasted kilobyte-long key is no typo.
  if (word.length > 64) return undefined;
  // The same misspelling in many configurations is looked up once.
  const key = `${candidates.length}:${candidates[0] ?? ''}:${word}`;
  if (guesses.has(key)) return guesses.get(key);
  if (guesses.size > 10_000) guesses.clear();
  const found = closestUncached(word, candidates);
  guesses.set(key, found);
  return found;
}

const guesses = new Map<string, string | undefined>();

function closestUncached(word: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const c of candidates) {
    const d = distance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}
