import { compareModule, isModuleVersion } from '../facts/versions';
import attributes from '../knowledge/goDebugAttributes.json';
import { closest } from './closestName';
import { removalEdit } from './lintEdits';
import type { LintOptions, Locate, Report } from './lintFinding';

const MANIFEST = `golang.go ${attributes.extensionVersion} manifest`;
/** Attributes VS Code itself understands for every debugger. */
const GENERIC = new Set([
  'name',
  'type',
  'request',
  'preLaunchTask',
  'postDebugTask',
  'internalConsoleOptions',
  'debugServer',
  'presentation',
  'serverReadyAction',
  'windows',
  'osx',
  'linux',
  'suppressMultipleSessionWarning',
]);

/** Each attribute: one the Go debugger has, read by the adapter in use, and by this Delve. */
export function lintAttributes(
  text: string,
  config: Record<string, unknown>,
  request: 'attach' | 'launch',
  name: string,
  at: Locate,
  add: Report,
  options: LintOptions,
): void {
  const known = attributes[request] as Record<string, string>;
  const adapter = config.debugAdapter === 'legacy' ? 'legacy' : 'dlv-dap';
  const removeFix = (key: string) => ({ title: `Remove "${key}"`, edits: [removalEdit(text, at(key))] });

  for (const key of Object.keys(config)) {
    if (GENERIC.has(key)) continue;
    if (key === 'dlvToolPath') {
      add(
        at(key),
        'warning',
        'overwritten-attribute',
        `${name}: the Go extension overwrites "dlvToolPath" with the dlv it finds; set go.alternateTools.dlv in settings instead.`,
        { fix: removeFix(key) },
      );
      continue;
    }
    // Own keys only: a user's "constructor" or "__proto__" must not find Object.prototype's members.
    const reader = Object.hasOwn(known, key) ? known[key] : undefined;
    if (!reader) {
      const guess = closest(key, Object.keys(known));
      add(
        at(key),
        'warning',
        'unknown-attribute',
        `${name}: "${key}" is not an attribute of the Go debugger for request "${request}" (${MANIFEST})${guess ? `; did you mean "${guess}"?` : '.'}`,
        { fix: removeFix(key), source: attributes.source },
      );
      continue;
    }
    if (reader !== 'both' && reader !== adapter) {
      const hint = key === 'dlvLoadConfig' ? ' dlv-dap has its own: maxStringLen, maxArrayValues (Delve 1.27.1+), stackTraceDepth.' : '';
      add(
        at(key),
        'warning',
        'ignored-by-adapter',
        `${name}: "${key}" is read only by the ${reader} adapter, and this configuration uses ${adapter}${adapter === 'dlv-dap' && config.debugAdapter === undefined ? ' (the default)' : ''}, so it is ignored.${hint}`,
        { fix: removeFix(key), source: attributes.source },
      );
      continue;
    }
    const minima = attributes.delveMinimum as Record<string, { version: string; source: string }>;
    const minimum = Object.hasOwn(minima, key) ? minima[key] : undefined;
    if (minimum && options.dlvVersion && isModuleVersion(options.dlvVersion) && compareModule(options.dlvVersion, minimum.version) < 0) {
      add(
        at(key),
        'warning',
        'dlv-too-old',
        `${name}: Delve ${options.dlvVersion} ignores "${key}"; dlv-dap reads it from Delve ${minimum.version} on.`,
        { source: minimum.source },
      );
    }
  }
}
