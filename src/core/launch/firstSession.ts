import * as path from 'node:path';
import type { ConfigKind } from './generate';
import type { GoPackage } from './workspace';

/** How many commands a first set-up writes when no editor names the package. */
const MAX_COMMANDS = 3;

/** The package whose folder holds `file` (the active editor), if it is one of `packages`. */
export function packageOfFile(packages: readonly GoPackage[], file: string | undefined): GoPackage | undefined {
  if (!file || !file.endsWith('.go')) return undefined;
  const dir = path.dirname(file);
  return packages.find((p) => p.dir === dir);
}

/**
 * A command meant for users: not below an `internal` folder or testdata (in real modules those
 * are helpers that tests build and run, such as filippo.io/age's tag/internal/age-plugin-tagtest).
 */
export function isUserCommand(pkg: GoPackage): boolean {
  return pkg.isMain && !pkg.rel.split('/').some((part) => part === 'internal' || part === 'testdata');
}

export interface FirstSession {
  packages: GoPackage[];
  kinds: ConfigKind[];
  /** Why these packages, for the confirmation ("the package of main.go", "the commands"). */
  why: string;
}

/**
 * What a first debug session needs, not the whole module: the package of the active editor (launch
 * when it is a command, test when it has tests); else the module's commands for users; else the
 * first package with tests.
 */
export function firstSession(packages: readonly GoPackage[], activeFile?: string): FirstSession | undefined {
  const active = packageOfFile(packages, activeFile);
  const kindsOf = (pkgs: readonly GoPackage[]): ConfigKind[] => [
    ...(pkgs.some((p) => p.isMain) ? (['launch'] as const) : []),
    ...(pkgs.some((p) => p.hasTests) ? (['test'] as const) : []),
  ];
  if (active && (active.isMain || active.hasTests))
    return { packages: [active], kinds: kindsOf([active]), why: `the package of ${path.basename(activeFile!)}` };
  const commands = packages.filter(isUserCommand).slice(0, MAX_COMMANDS);
  if (commands.length) return { packages: commands, kinds: ['launch'], why: commands.length === 1 ? 'the command' : 'the commands' };
  const tested = packages.find((p) => p.hasTests);
  return tested ? { packages: [tested], kinds: ['test'], why: 'the first package with tests' } : undefined;
}
