/**
 * The tools of the Go debugging chain and the packages `go install` builds them from: the one
 * place their module paths are written.
 * Sources: go-delve/delve Documentation/installation/README.md ("go install
 * github.com/go-delve/delve/cmd/dlv@latest"); golang/tools gopls/README.md ("go install
 * golang.org/x/tools/gopls@latest").
 */
export const TOOLS = {
  dlv: { name: 'dlv', module: 'github.com/go-delve/delve', package: 'github.com/go-delve/delve/cmd/dlv' },
  gopls: { name: 'gopls', module: 'golang.org/x/tools/gopls', package: 'golang.org/x/tools/gopls' },
} as const;

export type InstallableTool = keyof typeof TOOLS;

/** `go install PACKAGE@VERSION` as argv; version with or without the leading v, or "latest". */
export function goInstallArgs(tool: InstallableTool, version: string): string[] {
  const at = version === 'latest' || version.startsWith('v') ? version : `v${version}`;
  return ['go', 'install', `${TOOLS[tool].package}@${at}`];
}
