import type { DebugProtocol } from '@vscode/debugprotocol';
import { DapClient } from '../dap/client';
import { loopbackAddress } from '../dap/loopback';
import { applySubstitute, gorootOf, isUserSource, sourceFiles, type SubstituteEntry } from './pathMapping';

/**
 * The source files a headless dlv on this machine debugs (Delve's `sources`, through the DAP evaluate
 * request in the REPL context, go-delve/delve service/dap/command.go since v1.8.0): connects, attaches
 * in mode remote, asks, and disconnects without touching the program. Never beyond loopback;
 * undefined when the server does not answer as a multi-client Delve would.
 */
export async function listServerSources(host: string, port: number, timeoutMs = 3_000): Promise<string[] | undefined> {
  const address = loopbackAddress(host);
  if (!address) return undefined;
  let client: DapClient | undefined;
  try {
    client = await DapClient.connect(address, port, timeoutMs);
    await client.request(
      'initialize',
      { adapterID: 'go', clientID: 'go-debug-doctor', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' },
      timeoutMs,
    );
    await client.request('attach', { request: 'attach', mode: 'remote' }, timeoutMs);
    const r = await client.request<DebugProtocol.EvaluateResponse>('evaluate', { expression: 'dlv sources', context: 'repl' }, timeoutMs);
    await client.request('disconnect', { terminateDebuggee: false }, timeoutMs).catch(() => undefined);
    return sourceFiles(r.body.result);
  } catch {
    return undefined;
  } finally {
    client?.close();
  }
}

/**
 * The folder the server's own sources live in when none of them maps into the workspace through the
 * configuration's substitutePath (else undefined): the common folder of its files outside GOROOT and
 * the module cache.
 */
export function unmappedServerRoot(
  sources: readonly string[],
  workspaceFolder: string,
  substitutePath: readonly SubstituteEntry[],
): string | undefined {
  const goroot = gorootOf(sources);
  const user = sources.filter((s) => s.startsWith('/') && isUserSource(s, goroot));
  if (!user.length) return undefined;
  const inside = (f: string) => f === workspaceFolder || f.startsWith(`${workspaceFolder}/`);
  if (user.some((s) => inside(applySubstitute(s, substitutePath, 'toLocal')))) return undefined;
  let common = user[0]!.split('/').slice(0, -1);
  for (const s of user.slice(1)) {
    const parts = s.split('/');
    let n = 0;
    while (n < common.length && common[n] === parts[n]) n++;
    common = common.slice(0, n);
  }
  return common.join('/') || '/';
}
