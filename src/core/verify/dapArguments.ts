import * as path from 'node:path';
import type { ResolvedConfig } from './config';

/** The launch request the Go extension sends (program relative to the folder dlv starts in). */
export function launchArguments(config: ResolvedConfig, outputDir: string): Record<string, unknown> {
  const program = config.mode === 'exec' ? config.program! : config.program!.endsWith('.go') ? `./${path.basename(config.program!)}` : '.';
  return {
    name: config.name,
    type: 'go',
    request: 'launch',
    mode: config.mode,
    program,
    // Our own file name in our own folder: the user's workspace gets no __debug_bin.
    output: path.join(outputDir, config.mode === 'test' ? 'verify.test' : 'verify.bin'),
    stopOnEntry: false,
    args: config.args,
    env: config.env,
    ...(config.cwd ? { cwd: config.cwd } : {}),
    ...(config.buildFlags !== undefined ? { buildFlags: config.buildFlags } : {}),
    ...(config.backend ? { backend: config.backend } : {}),
    ...(config.substitutePath.length ? { substitutePath: config.substitutePath } : {}),
  };
}

export function attachArguments(config: ResolvedConfig): Record<string, unknown> {
  return {
    name: config.name,
    type: 'go',
    request: 'attach',
    mode: 'remote',
    stopOnEntry: false,
    ...(config.cwd ? { cwd: config.cwd } : {}),
    ...(config.substitutePath.length ? { substitutePath: config.substitutePath } : {}),
  };
}
