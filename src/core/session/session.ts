import { Facts } from '../facts/facts';
import type { Host } from '../probes/host';
import { installedPinnedDlv } from '../install/folder';
import { resolveOptions, type SessionInit, type SessionOptions } from './options';

/**
 * One use case (a CLI command, a VS Code command, one run of the checks): the host that sees the
 * machine, the options parsed and validated once, and the facts, each gathered at most once.
 * Everything that needs to know which go, dlv or gopls is in use asks the session's facts.
 */
export class Session {
  readonly options: Readonly<SessionOptions>;
  private memo: Facts | undefined;

  constructor(
    readonly host: Host,
    init: SessionInit = {},
  ) {
    this.options = resolveOptions(init);
  }

  /** Memoised: every fact is probed once per session, whoever asks first. */
  get facts(): Facts {
    return (this.memo ??= new Facts({ ...this.options, host: this.host }));
  }

  get workspace(): string | undefined {
    return this.options.workspace;
  }

  /** The same options on another host (a recording or observing wrapper); facts are gathered anew. */
  withHost(host: Host): Session {
    return new Session(host, this.options);
  }
}

/**
 * The CLI's rule for commands that run dlv (launch, lint, selftest): a dlv named by the user, else
 * the pinned dlv `install-dlv` put in its default folder, else the one the Go extension would find.
 */
export async function withPinnedDlv(host: Host, init: SessionInit, chosen?: string): Promise<SessionInit> {
  const dlv = chosen ?? (await installedPinnedDlv(host));
  if (!dlv) return init;
  return { ...init, settings: { ...init.settings, alternateTools: { ...init.settings?.alternateTools, dlv } } };
}
