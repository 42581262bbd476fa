import { monotonicMs } from '../probes/clock';

/** The session was cancelled (by the user, or the caller's signal) in the middle of a step. */
export class Cancelled extends Error {}

/** One step of a debug session, timed, as the self-test and verify report it. */
export interface SessionStep<Id extends string> {
  id: Id;
  ok: boolean;
  durationMs: number;
  /** What the step saw or, when it failed, why. */
  detail?: string;
}

/**
 * Runs the steps of a debug session: each one is timed and recorded, and each ends at once when
 * `signal` aborts. `failure` turns a step's error into what the caller throws.
 */
export function stepRunner<Id extends string>(
  signal: AbortSignal,
  steps: SessionStep<Id>[],
  onStep: ((step: SessionStep<Id>) => void) | undefined,
  failure: (id: Id, message: string, err: unknown) => Error,
) {
  const cancelled = new Promise<never>((_, reject) => {
    const fail = () => reject(new Cancelled('cancelled'));
    if (signal.aborted) fail();
    else signal.addEventListener('abort', fail, { once: true });
  });
  cancelled.catch(() => undefined);
  return async <T>(id: Id, fn: () => Promise<T>, describe?: (value: T) => string | undefined): Promise<T> => {
    const t0 = monotonicMs();
    const record = (ok: boolean, detail?: string) => {
      const step: SessionStep<Id> = { id, ok, durationMs: Math.round(monotonicMs() - t0), ...(detail ? { detail } : {}) };
      steps.push(step);
      onStep?.(step);
    };
    try {
      const value = await Promise.race([fn(), cancelled]);
      record(true, describe?.(value));
      return value;
    } catch (err) {
      if (err instanceof Cancelled || signal.aborted) {
        record(false, 'cancelled');
        throw new Cancelled('cancelled');
      }
      const message = err instanceof Error ? err.message : String(err);
      record(false, message);
      throw failure(id, message, err);
    }
  };
}
