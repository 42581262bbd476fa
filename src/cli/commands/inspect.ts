import * as path from 'node:path';
import { BinaryFormatError } from '../../core/binary/bytes';
import { inspectFile, type BinaryInfo } from '../../core/binary/inspect';
import { EXIT, parse, UsageError, type Io } from '../common';
import { InputError } from '../../core/io/errors';

export const help = `go-debug-doctor inspect FILE [--json]

Reads a Mach-O (thin or universal) or ELF file without running it: the CPU type of each slice, its
code signature (unsigned, ad hoc, linker-signed, or with a certificate: team id, hardened runtime,
entitlements) and the Go build information (the Go that built it, main package and module version).
JSON schema: docs/inspect.md.

Exit codes: 0 read, 1 not a readable Mach-O/ELF file, 2 usage error.
`;

export async function run(args: string[], io: Io): Promise<number> {
  const parsed = parse(args, { json: { type: 'boolean' } }, { positionals: true });
  if (parsed.values.help) return (io.stdout(help), EXIT.ok);
  if (parsed.positionals.length !== 1) throw new UsageError('inspect takes one FILE');
  const file = path.resolve(io.cwd, parsed.positionals[0]!);
  let info: BinaryInfo;
  try {
    info = await inspectFile(file);
  } catch (err) {
    const message =
      err instanceof BinaryFormatError
        ? err.message
        : err instanceof InputError
          ? err.message.slice(file.length + 2)
          : (err as NodeJS.ErrnoException).code === 'ENOENT'
            ? 'no such file'
            : (err as Error).message;
    if (parsed.values.json) io.stdout(JSON.stringify({ file, error: message }, null, 2) + '\n');
    else io.stderr(`go-debug-doctor: ${file}: ${message}\n`);
    return EXIT.failed;
  }
  if (parsed.values.json) io.stdout(JSON.stringify(info, null, 2) + '\n');
  else io.stdout(formatBinaryInfo(file, info));
  return EXIT.ok;
}
function formatBinaryInfo(file: string, info: BinaryInfo): string {
  const lines = [
    `${file}: ${info.format === 'macho-fat' ? `universal Mach-O (${info.slices.map((s) => s.arch).join(', ')})` : info.format === 'macho' ? 'Mach-O' : 'ELF'}`,
  ];
  for (const s of info.slices) {
    lines.push(`  ${s.arch}:`);
    if (info.format !== 'elf') {
      const sig = s.signature;
      const kind = !sig
        ? 'unsigned'
        : sig.hasCms
          ? `signed with a certificate${sig.teamId ? ` (team ${sig.teamId})` : ''}`
          : sig.linkerSigned
            ? 'ad hoc, signed by the linker'
            : sig.adhoc
              ? 'ad hoc'
              : 'signed';
      lines.push(
        `    signature: ${kind}${sig?.runtime ? ', hardened runtime' : ''}${sig?.identifier ? `, identifier ${sig.identifier}` : ''}`,
      );
      if (sig?.entitlements && Object.keys(sig.entitlements).length)
        lines.push(
          `    entitlements: ${Object.entries(sig.entitlements)
            .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
            .join(', ')}`,
        );
    }
    const go = s.goBuildInfo;
    lines.push(
      `    Go: ${go ? `${go.goVersion}${go.path ? `, ${go.path}` : ''}${go.version ? ` ${go.version}` : ''}` : 'not a Go program (no build information)'}`,
    );
  }
  return lines.join('\n') + '\n';
}
