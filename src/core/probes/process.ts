// The runner's public face under its old path, for the many modules that import it from here. Each
// part lives in a module named for its job: runProcess (run to the end with a timeout), server and
// pipedProcess (long-running), spawn, processGroup and watchdog (starting and ending process trees).
export { monotonicMs } from './clock';
export { describeProbe, firstLine, shellQuote } from './display';
export { startPiped, type PipedOptions, type PipedProcess } from './pipedProcess';
export type { ProbeOutcome, ProbeRecord } from './probeRecord';
export { killProcessesRunning } from './processGroup';
export { EXIT_GRACE_MS, runProcess, type RunOptions } from './runProcess';
export { ServerStartError, startServer, type ServerHandle, type ServerOptions } from './server';
export { resolveCommand } from './spawn';
