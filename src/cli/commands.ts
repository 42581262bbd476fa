import type { CommandModule } from './common';

/**
 * Every CLI command, in the order the usage text lists them. The usage text, `help NAME` and the
 * dispatch in main.ts are made from this table; a command's code is loaded only when it runs.
 * Adding a command: one file in commands/ (exporting `help` and `run`) and one row here.
 */
export interface CommandEntry {
  name: string;
  /** Its arguments, as the usage text shows them. */
  synopsis: string;
  /** A few words for the usage text. */
  summary: string;
  load: () => Promise<CommandModule>;
}

export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'check',
    synopsis: '[--workspace DIR] [--json | --markdown] [--verbose]',
    summary: 'run every check',
    load: () => import('./commands/check'),
  },
  {
    name: 'compat',
    synopsis: '--go VERSION --dlv VERSION [--dlv-built-with VERSION] [--json]',
    summary: 'can this Delve debug this Go',
    load: () => import('./commands/compat'),
  },
  { name: 'inspect', synopsis: 'FILE [--json]', summary: 'CPU, signature, Go build info', load: () => import('./commands/inspect') },
  {
    name: 'install-dlv',
    synopsis: '[--recommended | --version V | --profile NAME] [--dir DIR] [--json]',
    summary: 'build a pinned dlv',
    load: () => import('./commands/installDlv'),
  },
  {
    name: 'launch',
    synopsis: '[--workspace DIR] [--dry-run | --write] [--preset fast|deep|none] [--json]',
    summary: 'write debug configurations',
    load: () => import('./commands/launch'),
  },
  { name: 'lint', synopsis: '[FILE...] [--json]', summary: 'check launch.json/tasks.json', load: () => import('./commands/lint') },
  {
    name: 'selftest',
    synopsis: '[--dlv PATH] [--keep] [--backend NAME] [--json]',
    summary: 'a real debug session, step by step',
    load: () => import('./commands/selftest'),
  },
  {
    name: 'verify',
    synopsis: '[--config NAME] [--break FILE:LINE]... [--fix] [--json]',
    summary: 'your debug configuration, breakpoint by breakpoint',
    load: () => import('./commands/verify'),
  },
  { name: 'explain', synopsis: '[TEXT...]', summary: 'what a Delve error message means', load: () => import('./commands/explain') },
];

export function findCommand(name: string): CommandEntry | undefined {
  return COMMANDS.find((c) => c.name === name);
}

export function usageText(version: string): string {
  const lines = COMMANDS.map((c) => `  go-debug-doctor ${c.name} ${c.synopsis}\n      ${c.summary}`);
  return `go-debug-doctor ${version}: checks the Go debugging chain (go, dlv, gopls, the Go extension).

Usage:
${lines.join('\n')}
  go-debug-doctor help [COMMAND] | --version

Exit codes: 0 nothing failed, 1 a check failed (or a pair is not compatible), 2 usage error.
`;
}
