import toolData from './tools.json';

/** The installable tools and their module paths, from tools.json (with its sources). */
export const TOOLS = {
  dlv: { name: 'dlv', module: toolData.dlv.module, package: toolData.dlv.package },
  gopls: { name: 'gopls', module: toolData.gopls.module, package: toolData.gopls.package },
} as const;

export type InstallableTool = keyof typeof TOOLS;

/** `go install PACKAGE@VERSION` as argv; version with or without the leading v, or "latest". */
export function goInstallArgs(tool: InstallableTool, version: string): string[] {
  const at = version === 'latest' || version.startsWith('v') ? version : `v${version}`;
  return ['go', 'install', `${TOOLS[tool].package}@${at}`];
}
