import type { Host } from '../probes/host';
import type { ResolvedConfig } from './config';
import { hostGoos } from './constraints';

export interface GoEnv {
  goos: string;
  goarch: string;
  goroot: string;
  goflags: string;
  /** "0" when cgo is off: set so, or the go command found no C compiler (then it turns cgo off itself). */
  cgoEnabled: string;
  cc: string;
}

export async function readGoEnv(host: Host, go: string, config: ResolvedConfig): Promise<GoEnv> {
  const probe = await host.run([go, 'env', '-json', 'GOOS', 'GOARCH', 'GOROOT', 'GOFLAGS', 'CGO_ENABLED', 'CC'], {
    cwd: config.buildDir,
    timeoutMs: 20_000,
    envOverrides: { ...config.env, GOTOOLCHAIN: 'local' },
  });
  try {
    const v = JSON.parse(probe.stdout) as Record<string, string>;
    return {
      goos: v.GOOS ?? '',
      goarch: v.GOARCH ?? '',
      goroot: v.GOROOT ?? '',
      goflags: v.GOFLAGS ?? '',
      cgoEnabled: v.CGO_ENABLED ?? '',
      cc: v.CC ?? '',
    };
  } catch {
    return {
      goos: config.env.GOOS ?? hostGoos(host.platform),
      goarch: config.env.GOARCH ?? '',
      goroot: '',
      goflags: config.env.GOFLAGS ?? host.env('GOFLAGS') ?? '',
      cgoEnabled: config.env.CGO_ENABLED ?? '',
      cc: '',
    };
  }
}

/** The build settings a Go binary records (`go version -m`: -gcflags, -ldflags, -trimpath…). */
export async function buildSettings(host: Host, go: string, binary: string): Promise<Record<string, string> | undefined> {
  const probe = await host.run([go, 'version', '-m', binary], { timeoutMs: 20_000, envOverrides: { GOTOOLCHAIN: 'local' } });
  if (probe.outcome !== 'ok') return undefined;
  const settings: Record<string, string> = {};
  for (const line of probe.stdout.split('\n')) {
    const m = /^\s*build\s+([^=\s]+)=(.*)$/.exec(line);
    if (m) settings[m[1]!] = m[2]!.trim();
  }
  return settings;
}
