/** A lazily started, shared promise: the fact is gathered on first use and only once. */
export function once<T>(fn: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => (value ??= fn());
}
