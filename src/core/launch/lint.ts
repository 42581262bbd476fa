import type { Node } from 'jsonc-parser';
import { lintAttributes } from './lintAttributes';
import { lintBuildFlags } from './lintBuildFlags';
import type { LintFinding, LintOptions, LintSeverity } from './lintFinding';
import { lintDlvFlagConflicts, lintInsideObjects } from './lintObjects';
import { lintHost, lintRemoteAttach } from './lintRemote';
import { parseOrReport } from './lintSyntax';
import { lineColumn, objectsAt } from './merge';

// The driver: each Go configuration through the rules, in this order (the findings keep it).
export async function lintLaunchJson(text: string, options: LintOptions): Promise<LintFinding[]> {
  const findings: LintFinding[] = [];
  for (const { node, value: config } of objectsAt(parseOrReport(text, options.file, findings), 'configurations')) {
    if (config.type !== 'go') continue;
    await lintConfiguration(text, node, config, options, findings);
  }
  return findings;
}

async function lintConfiguration(
  text: string,
  node: Node,
  config: Record<string, unknown>,
  options: LintOptions,
  findings: LintFinding[],
): Promise<void> {
  const request = config.request === 'attach' ? 'attach' : 'launch';
  const name = typeof config.name === 'string' ? `"${config.name}"` : 'a configuration';
  const at = (key: string, valueNode = false) => {
    const prop = node.children?.find((p) => p.children?.[0]?.value === key);
    const target = valueNode ? prop?.children?.[1] : prop;
    return target ?? node;
  };
  const add = (target: Node, severity: LintSeverity, rule: string, message: string, extra: Partial<LintFinding> = {}) => {
    findings.push({
      file: options.file,
      ...lineColumn(text, target.offset),
      offset: target.offset,
      length: target.length,
      severity,
      rule,
      message,
      ...extra,
    });
  };
  lintAttributes(text, config, request, name, at, add, options);
  lintHost(config, name, at, add);
  lintBuildFlags(config, name, at, add);
  lintDlvFlagConflicts(config, name, at, add);
  lintInsideObjects(config, name, at, add, options);
  if (request === 'attach' && config.mode === 'remote') {
    await lintRemoteAttach(config, name, at, add, options);
  }
}
