import { delveSupportsGo, findDelveRelease } from '../../core/knowledge';
import { delveReleaseFromModuleCache, goModCacheDir } from '../../core/knowledge/fromModuleCache';
import { LiveHost } from '../../core/probes/host';
import { formatGoVersion, parseGoVersion, parseModuleVersion } from '../../core/facts/versions';
import { EXIT, parse, UsageError, type Io } from '../common';

export const help = `go-debug-doctor compat --go VERSION --dlv VERSION [--dlv-built-with VERSION] [--json]

Says whether a Delve release can debug a program built by a Go version, why, and the source.
Versions may be written 1.22, 1.22.3 or go1.22.3 (Go) and 1.21.2 or v1.21.2 (Delve).

  --dlv-built-with VERSION   the Go that compiled dlv (applies the DWARF 5 rule); without it, dlv is
                             assumed to be built the way Go Debug Doctor builds it (Go >= 1.25 when needed)

Exit codes: 0 compatible, 1 not compatible or unknown, 2 usage error.
`;

export async function run(args: string[], io: Io): Promise<number> {
  const { values } = parse(args, {
    go: { type: 'string' },
    dlv: { type: 'string' },
    'dlv-built-with': { type: 'string' },
    json: { type: 'boolean' },
  });
  if (values.help) return (io.stdout(help), EXIT.ok);
  if (typeof values.go !== 'string' || typeof values.dlv !== 'string') throw new UsageError('compat needs --go VERSION and --dlv VERSION');
  const go = parseGoVersion(values.go);
  if (!go) throw new UsageError(`--go: "${values.go}" is not a Go version (try 1.22, 1.22.3 or go1.22.3)`);
  const dlv = parseModuleVersion(values.dlv);
  if (!dlv) throw new UsageError(`--dlv: "${values.dlv}" is not a Delve version (try 1.21.2 or v1.21.2)`);
  const builtWithText = values['dlv-built-with'] as string | undefined;
  const builtWith = builtWithText !== undefined ? parseGoVersion(builtWithText) : undefined;
  if (builtWithText !== undefined && !builtWith) throw new UsageError(`--dlv-built-with: "${builtWithText}" is not a Go version`);
  // A Delve newer than our data is judged from its own compat.go in the module cache, if it is there.
  const host = new LiveHost();
  const cached = findDelveRelease(dlv) ? undefined : await delveReleaseFromModuleCache(host, await goModCacheDir(host), dlv);
  const verdict = delveSupportsGo(dlv, go, builtWith, cached);
  const result = {
    go: formatGoVersion(go),
    dlv,
    ...(builtWith ? { dlvBuiltWith: formatGoVersion(builtWith) } : {}),
    compatible: verdict.verdict === 'compatible',
    verdict: verdict.verdict,
    reasons: verdict.reasons,
    ...(verdict.delveMessage ? { delveMessage: verdict.delveMessage } : {}),
    ...(verdict.release ? { supportedGo: { min: verdict.release.goMin, max: verdict.release.goMax } } : {}),
    sources: verdict.sources,
  };
  if (values.json) io.stdout(JSON.stringify(result, null, 2) + '\n');
  else {
    const head = { compatible: 'compatible', incompatible: 'NOT compatible', unknown: 'unknown' }[verdict.verdict];
    io.stdout(
      `${head}: Delve ${dlv} and ${formatGoVersion(go)}\n${verdict.reasons.map((r) => `  ${r}\n`).join('')}${verdict.delveMessage ? `  Delve says: ${verdict.delveMessage}\n` : ''}${verdict.sources.map((s) => `  source: ${s}\n`).join('')}`,
    );
  }
  return result.compatible ? EXIT.ok : EXIT.failed;
}
