import * as path from 'node:path';
import type { VerifyResult } from './result';
import type { VerifyOutcome } from './flow';

/** The result for a terminal: one line per breakpoint, then causes and fixes. */
export function formatVerify(outcome: VerifyOutcome, color = false): string {
  const paint = (code: string, s: string) => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
  const lines: string[] = [];
  const one = (r: VerifyResult, title: string) => {
    const head = r.outcome === 'pass' ? paint('32', 'PASS') : r.outcome === 'cancelled' ? 'CANCELLED' : paint('31', 'FAIL');
    lines.push(
      `${title}${head}: "${r.config}" (${r.request} ${r.mode}${r.server ? `, server ${r.server}` : ''}) in ${(r.durationMs / 1000).toFixed(1)} s`,
    );
    if (r.error) lines.push(`  ${r.error.split('\n').slice(0, 6).join('\n  ')}`);
    for (const b of r.breakpoints) {
      const where = `${path.basename(b.file)}:${b.line}${b.boundLine ? ` (bound at ${b.boundLine})` : ''}`;
      const state = b.hit ? paint('32', 'hit') : b.verified ? 'verified, not hit' : paint('31', 'not verified');
      lines.push(`  ${where}: ${state}${b.message ? ` — Delve: ${b.message}` : ''}`);
      if (b.cause) lines.push(`    why: ${b.cause}`);
    }
    const pm = r.pathMapping;
    if (pm.debuggeeRoot) {
      lines.push(
        `  paths: the editor says ${pm.localRoot}, the debuggee was built in ${pm.debuggeeRoot}${pm.trimpath ? ' (-trimpath)' : ''}${pm.symlinks.map((s) => `; link ${s.path} -> ${s.realpath}`).join('')}`,
      );
      if (pm.unmatched.length)
        lines.push(`  still unmatched: ${pm.unmatched.slice(0, 5).join(', ')}${pm.unmatched.length > 5 ? ', …' : ''}`);
    }
    for (const d of r.diagnoses) lines.push(`  cause: ${d.cause}`, `  fix: ${d.fix}${d.source ? `  (${d.source})` : ''}`);
  };
  one(outcome.before, outcome.after ? 'before the fix: ' : '');
  if (outcome.edit?.diff) {
    lines.push(outcome.after ? `changed ${outcome.edit.file}:` : `the fix (run with --fix to apply it to ${outcome.edit.file}):`);
    lines.push(outcome.edit.diff.trimEnd());
  }
  for (const m of outcome.edit?.manual ?? []) lines.push(`  by hand: ${m}`);
  if (outcome.after) one(outcome.after, 'after the fix: ');
  return lines.join('\n') + '\n';
}
