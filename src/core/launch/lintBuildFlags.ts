import { replaceValueEdit } from './lintEdits';
import type { Locate, Report } from './lintFinding';

const GCFLAGS_SOURCE =
  'go-delve/delve pkg/gobuild/gobuild.go (adds -gcflags "all=-N -l"); golang/vscode-go extension/src/goDebugConfiguration.ts (drops -gcflags from buildFlags)';

/** -gcflags in buildFlags: dropped by the Go extension, and Delve sets its own. */
export function lintBuildFlags(config: Record<string, unknown>, name: string, at: Locate, add: Report): void {
  const buildFlags = config.buildFlags;
  const flagText = Array.isArray(buildFlags) ? buildFlags.join(' ') : typeof buildFlags === 'string' ? buildFlags : '';
  if (/(^|\s)--?gcflags(=|\s|$)/.test(flagText)) {
    add(
      at('buildFlags', true),
      'warning',
      'gcflags',
      `${name}: -gcflags in buildFlags is dropped by the Go extension, and Delve already builds with -gcflags "all=-N -l" (no optimisation, no inlining).`,
      {
        source: GCFLAGS_SOURCE,
        ...(stripGcflags(buildFlags) !== undefined
          ? { fix: { title: 'Remove -gcflags', edits: [replaceValueEdit(at('buildFlags', true), stripGcflags(buildFlags))] } }
          : {}),
      },
    );
  }
}

function stripGcflags(flags: unknown): unknown {
  const gc = /^--?gcflags(=|$)/;
  if (Array.isArray(flags)) {
    const out: unknown[] = [];
    for (let i = 0; i < flags.length; i++) {
      const f = flags[i];
      if (typeof f === 'string' && gc.test(f)) {
        if (!f.includes('=')) i++;
        continue;
      }
      out.push(f);
    }
    return out;
  }
  if (typeof flags !== 'string') return undefined;
  return flags.replace(/(^|\s)--?gcflags(=('[^']*'|"[^"]*"|\S+)|\s+('[^']*'|"[^"]*"|\S+))/g, '').trim();
}
