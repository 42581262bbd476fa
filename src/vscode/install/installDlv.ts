import * as vscode from 'vscode';
import type { Facts } from '../../core/facts/facts';
import { installDlv, type InstallResult } from '../../core/install/installer';
import type { DlvRequest } from '../../core/install/plan';
import { prepareDlvInstall, type PreparedInstall } from '../../core/install/prepare';
import { namedProfiles, recommendedDelve } from '../../core/knowledge';
import { goMinor } from '../../core/facts/versions';
import type { Session } from '../../core/session/session';
import { dlvInstallFolder } from '../config';

export interface InstallContext {
  context: vscode.ExtensionContext;
  log: vscode.LogOutputChannel;
  session: () => Promise<Session>;
  afterInstall: () => Promise<unknown>;
}

/**
 * "Install Pinned dlv": choose a version (or take the one a fix asked for), confirm, build with
 * progress and cancellation, then offer to point the Go extension at it and re-run the checks.
 */
export async function installPinnedDlv(ic: InstallContext, request?: DlvRequest): Promise<InstallResult | undefined> {
  const session = await ic.session();
  const facts = session.facts;
  const chosen = request ?? (await pickRequest(facts));
  if (!chosen) return undefined;
  const prepared = await prepareDlvInstall(facts, chosen);
  for (const f of prepared.findings) ic.log.warn(`module settings: ${f.message}${f.fix ? ` Fix: ${f.fix}` : ''}`);
  if (!prepared.ok) {
    const pick = await vscode.window.showErrorMessage(
      `Not installing: ${prepared.reason}`,
      ...(prepared.alternative && chosen.kind !== 'recommended' ? ['Install Recommended'] : []),
    );
    return pick ? installPinnedDlv(ic, { kind: 'recommended' }) : undefined;
  }
  const { plan } = prepared;
  const dir = dlvInstallFolder(ic.context);
  const blocking = prepared.findings.find((f) => f.severity === 'fail');
  const confirm = await vscode.window.showInformationMessage(
    `Install Delve ${plan.version} (${plan.why})?`,
    {
      modal: true,
      detail: [
        `It is built with \`go install\` into ${dir}; your go.mod and GOPATH/bin are not touched.`,
        plan.toolchainNote,
        ...plan.warnings,
        ...(blocking ? [`Warning: ${blocking.message}`] : []),
      ].join('\n\n'),
    },
    'Install',
  );
  if (confirm !== 'Install') return undefined;

  const result = await buildWithProgress(ic, session, prepared);
  if (!dlvReady(result)) return result;
  await offerAlternateTool(result.path, ic.log);
  await ic.afterInstall();
  return result;
}

/**
 * Builds the planned dlv with a cancellable progress notification. Failures and cancellation are
 * said in one line; the previous dlv and every setting stay as they were.
 */
export async function buildWithProgress(
  ic: Pick<InstallContext, 'context' | 'log'>,
  session: Session,
  prepared: Extract<PreparedInstall, { ok: true }>,
): Promise<InstallResult> {
  const { plan } = prepared;
  const dir = dlvInstallFolder(ic.context);
  ic.log.info(`installing Delve ${plan.version} into ${dir} with GOTOOLCHAIN=${plan.gotoolchain}`);
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Installing Delve ${plan.version}`, cancellable: true },
    (progress, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort());
      let lastPhase = '';
      return installDlv({
        host: session.host,
        go: prepared.go,
        goEnv: prepared.goEnv,
        dir,
        plan,
        signal: abort.signal,
        onProgress: (p) => {
          progress.report({ message: `${p.message} (${Math.round(p.elapsedMs / 1000)} s)` });
          if (p.phase !== lastPhase) ic.log.info(`${p.phase}: ${p.message}`);
          lastPhase = p.phase;
        },
      });
    },
  );
  ic.log.info(`${result.outcome}: ${result.message}${result.detail ? `\n${result.detail}` : ''}`);
  if (dlvReady(result)) return result;
  if (result.outcome === 'cancelled') void vscode.window.showInformationMessage(result.message);
  else
    void vscode.window
      .showErrorMessage(`${result.message}${result.fix ? ` Fix: ${result.fix}` : ''}`, 'Show Log')
      .then((a) => a && ic.log.show());
  return result;
}

/** A verified dlv is at result.path: installed now, or already there. */
export const dlvReady = (result: InstallResult): boolean => result.outcome === 'installed' || result.outcome === 'unchanged';

async function pickRequest(facts: Facts): Promise<DlvRequest | undefined> {
  const program = (await facts.effectiveGo())?.version;
  const recommended = program ? recommendedDelve(program) : undefined;
  type Item = vscode.QuickPickItem & { request?: DlvRequest };
  const items: Item[] = [
    {
      label: recommended ? `Delve v${recommended.version}` : 'Recommended Delve',
      description: 'recommended',
      detail: program
        ? `The newest Delve that debugs Go ${goMinor(program)}, the Go of this workspace.`
        : 'The newest Delve that debugs your Go.',
      request: { kind: 'recommended' },
    },
    ...namedProfiles.map((p): Item => ({
      label: `Delve v${p.dlv}`,
      description: `profile: ${p.title}`,
      detail: p.why,
      request: { kind: 'profile', profile: p.id },
    })),
    { label: 'Another version…', detail: 'Type a Delve release, such as v1.26.3.' },
  ];
  const picked = await vscode.window.showQuickPick(items, { title: 'Install Pinned dlv', placeHolder: 'Which Delve?' });
  if (!picked) return undefined;
  if (picked.request) return picked.request;
  const version = await vscode.window.showInputBox({
    title: 'Install Pinned dlv',
    prompt: 'A Delve release (see https://github.com/go-delve/delve/releases)',
    placeHolder: 'v1.27.2',
    validateInput: (v) => (/^v?\d+\.\d+\.\d+$/.test(v.trim()) ? undefined : 'Write a version such as v1.27.2'),
  });
  return version ? { kind: 'version', version: version.trim() } : undefined;
}

/** With consent, go.alternateTools.dlv in the user's settings: the Go extension then runs this dlv and its Install/Update Tools leaves it alone. */
async function offerAlternateTool(dlv: string, log: vscode.LogOutputChannel): Promise<void> {
  const current = vscode.workspace.getConfiguration('go').inspect<Record<string, string>>('alternateTools')?.globalValue ?? {};
  if (current.dlv === dlv) return;
  const answer = await vscode.window.showInformationMessage(
    `Delve is installed at ${dlv}. Make the Go extension use it?`,
    {
      modal: true,
      detail: `This sets "go.alternateTools": { "dlv": "${dlv}" } in your user settings, so debugging uses this dlv and "Go: Install/Update Tools" does not replace it.`,
    },
    'Use It',
  );
  if (answer === 'Use It') await useForGoExtension(dlv, log);
}

/**
 * Sets go.alternateTools.dlv in the user's settings (the caller already has the user's consent).
 * Returns false when VS Code refused (no Go extension registers the setting): the snippet is then
 * offered to copy.
 */
export async function useForGoExtension(dlv: string, log: vscode.LogOutputChannel): Promise<boolean> {
  const go = vscode.workspace.getConfiguration('go');
  const current = go.inspect<Record<string, string>>('alternateTools')?.globalValue ?? {};
  if (current.dlv === dlv) return true;
  try {
    await go.update('alternateTools', { ...current, dlv }, vscode.ConfigurationTarget.Global);
    log.info(`set go.alternateTools.dlv = ${dlv} in user settings`);
    return true;
  } catch (err) {
    const snippet = `"go.alternateTools": ${JSON.stringify({ ...current, dlv })}`;
    log.warn(`could not set go.alternateTools: ${(err as Error).message}`);
    const copy = await vscode.window.showWarningMessage(
      `Could not change your settings (${(err as Error).message}). Add this to your user settings.json by hand:`,
      { modal: true, detail: snippet },
      'Copy',
    );
    if (copy) await vscode.env.clipboard.writeText(snippet);
    return false;
  }
}
