import * as path from 'node:path';
import { pathList } from '../facts/discovery';
import type { Host } from '../probes/host';
import type { ResolvedConfig } from './config';
import type { GoEnv } from './goEnv';
import type { VerifyDiagnosis, VerifyFix } from './result';

/**
 * A build that fails because cgo is off: with CGO_ENABLED=0 the go command leaves out every file
 * that imports "C", so a package made of such files has "undefined" names, or no files at all.
 * On a Mac without the Command Line Tools this is the default: the go command turns cgo off when
 * it finds no C compiler (go1.20 release notes, "Cgo").
 */
export async function cgoOffFinding(
  host: Host,
  go: string,
  config: ResolvedConfig,
  goEnv: GoEnv,
  buildOutput: string,
): Promise<{ diagnosis: VerifyDiagnosis; fix?: VerifyFix } | undefined> {
  if (goEnv.cgoEnabled !== '0' || !config.program) return undefined;
  const qualifiers = new Set([...buildOutput.matchAll(/undefined: (\w+)\.\w+/g)].map((m) => m[1]!));
  const excluded = new Set([...buildOutput.matchAll(/build constraints exclude all Go files in (\S+)/g)].map((m) => m[1]!));
  if (!qualifiers.size && !excluded.size) return undefined;
  const probe = await host.run(
    [
      go,
      'list',
      '-e',
      '-deps',
      ...(config.mode === 'test' ? ['-test'] : []),
      '-f',
      '{{.Name}}\t{{.Dir}}\t{{join .IgnoredGoFiles "\\t"}}',
      config.program,
    ],
    { cwd: config.buildDir, timeoutMs: 30_000, envOverrides: { ...config.env, GOTOOLCHAIN: 'local' } },
  );
  if (probe.outcome !== 'ok') return undefined;
  for (const line of probe.stdout.split('\n').slice(0, 20_000)) {
    const [name, dir, ...ignored] = line.split('\t');
    if (!name || !dir || !(qualifiers.has(name) || excluded.has(dir))) continue;
    for (const file of ignored) {
      const text = await host.readText(path.join(dir, file), 256 << 10);
      if (!text || !importsC(text)) continue;
      return describe(host, config, goEnv, name, path.join(dir, file));
    }
  }
  return undefined;
}

export function importsC(text: string): boolean {
  return /^import\s+"C"\s*$/m.test(text) || /^import\s*\([^)]*^\s*"C"\s*$/m.test(text);
}

async function describe(
  host: Host,
  config: ResolvedConfig,
  goEnv: GoEnv,
  pkg: string,
  file: string,
): Promise<{ diagnosis: VerifyDiagnosis; fix?: VerifyFix }> {
  const needs = `Package ${pkg} needs cgo (${path.basename(file)} imports "C"), and this build has cgo off (CGO_ENABLED=0)`;
  if (config.raw.env && typeof config.raw.env === 'object' && 'CGO_ENABLED' in (config.raw.env as object))
    return {
      diagnosis: {
        id: 'cgo-disabled',
        cause: `${needs}: the configuration's env sets it.`,
        fix: 'Set "CGO_ENABLED" to "1" in the configuration\'s env.',
      },
      fix: { label: 'Build with cgo: set env.CGO_ENABLED to "1"', attribute: 'env.CGO_ENABLED', value: '1', automatic: false },
    };
  if (!config.env.CGO_ENABLED && !host.env('CGO_ENABLED') && !(await onPath(host, config, goEnv.cc || 'cc')))
    return {
      diagnosis: {
        id: 'cgo-disabled',
        cause: `${needs}: the go command turns cgo off when it finds no C compiler, and "${goEnv.cc || 'cc'}" is not on the PATH.`,
        fix:
          host.platform === 'darwin'
            ? 'Install the Command Line Tools: xcode-select --install (they bring clang), then debug again.'
            : `Install a C compiler (gcc or clang) so that "${goEnv.cc || 'cc'}" is on the PATH, then debug again.`,
      },
    };
  return {
    diagnosis: {
      id: 'cgo-disabled',
      cause: `${needs}, from the environment (go env -w, the shell or go.toolsEnvVars).`,
      fix: 'Add "CGO_ENABLED": "1" to the configuration\'s env, or remove CGO_ENABLED=0 where it is set (go env -u CGO_ENABLED, the shell profile or go.toolsEnvVars).',
    },
    fix: { label: 'Build with cgo: set env.CGO_ENABLED to "1"', attribute: 'env.CGO_ENABLED', value: '1', automatic: true },
  };
}

async function onPath(host: Host, config: ResolvedConfig, command: string): Promise<boolean> {
  const name = command.split(/\s+/)[0]!;
  if (path.isAbsolute(name)) return (await host.stat(name)).isFile === true;
  const dirs = pathList(host, config.env.PATH ?? host.env('PATH')).filter((d) => path.isAbsolute(d));
  for (const dir of dirs) if ((await host.stat(path.join(dir, name))).isFile === true) return true;
  return false;
}
