// The runner's limits, apart from the runner so that the options (read at start-up, also by the
// extension at activation) do not load it.

/** How long one probe may run before it is killed, unless the session says otherwise. */
export const DEFAULT_TIMEOUT_MS = 10_000;
/** A probe that prints more is cut off here and killed. */
export const DEFAULT_MAX_OUTPUT_BYTES = 4 * 1024 * 1024;
