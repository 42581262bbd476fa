// Marks tell our probes' descendants apart, also those that left the process group.

/** The environment variable that marks a probe's descendants (a random value per run). */
export const MARK_VARIABLE = 'GO_DEBUG_DOCTOR_PROBE';

let marks = 0;

/**
 * A mark no other live process carries: this process's id, a count, and a random part in case a
 * stale child of an earlier process with the same id is still around. Not a secret, so Math.random
 * does (node:crypto costs a run several milliseconds of start-up).
 */
export function freshMark(): string {
  return `${process.pid.toString(36)}.${(++marks).toString(36)}.${Math.random().toString(36).slice(2, 10)}`;
}
