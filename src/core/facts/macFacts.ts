import * as path from 'node:path';
import { pathList, type ToolLocation } from './discovery';
import type { Host } from '../probes/host';
import { once } from './once';
import {
  parseCodesignVerify,
  parseDevToolsSecurity,
  parseFirewallGlobal,
  parseGroups,
  parseOnOff,
  parseProductVersion,
  parseQuarantine,
  parseSysctl,
  parseXcodeSelect,
  type CodesignVerify,
} from './macParsers';
import type { ProbeRecord } from '../probes/probeRecord';

/** Where Delve looks for debugserver (go-delve/delve pkg/proc/gdbserial/gdbserver.go, v1.20.0–v1.27.1). */
export const CLT_DEBUGSERVER =
  '/Library/Developer/CommandLineTools/Library/PrivateFrameworks/LLDB.framework/Versions/A/Resources/debugserver';
export const XCODE_DEBUGSERVER_RELATIVE = '../SharedFrameworks/LLDB.framework/Versions/A/Resources/debugserver';
export const SOCKETFILTERFW = '/usr/libexec/ApplicationFirewall/socketfilterfw';

export interface Probed<T> {
  probe: ProbeRecord;
  value: T;
}

export interface DebugserverChoice {
  /** The file Delve will use, and which rule found it. */
  path?: string;
  via?: 'DELVE_DEBUGSERVER_PATH' | 'PATH' | 'Command Line Tools' | 'xcode-select' | 'lldb-server on PATH';
  /** Every place looked at, in Delve's order, with whether a file is there. */
  looked: Array<{ path: string; exists: boolean; rule: string }>;
  developerDir?: string;
  developerDirExists?: boolean;
}

/** What the Mac facts need from the doctor's facts (kept narrow so that neither module needs the other). */
export interface MacFactsSource {
  readonly host: Host;
  run(argv: string[]): Promise<ProbeRecord>;
  dlvLocation(): Promise<ToolLocation>;
}

/** The Mac-only facts, each probe run at most once. Only called when the host is darwin. */
const memo = new WeakMap<MacFactsSource, MacFacts>();

/**
 * The Mac facts of a run, each gathered at most once. Kept apart from Facts so that only the Mac
 * checks load this (and only they ask, on a Mac).
 */
export function macFactsOf(facts: MacFactsSource): MacFacts {
  let mac = memo.get(facts);
  if (!mac) memo.set(facts, (mac = new MacFacts(facts)));
  return mac;
}

export class MacFacts {
  constructor(private readonly facts: MacFactsSource) {}

  private probe<T>(argv: string[], parse: (p: ProbeRecord) => T): Promise<Probed<T>> {
    return this.facts.run(argv).then((probe) => ({ probe, value: parse(probe) }));
  }

  /** The machine field: the whole output of `uname -m`, the last field of `uname -a`. */
  readonly uname = once(() => this.probe(['uname', '-m'], (p) => (p.outcome === 'ok' ? p.stdout.trim().split(/\s+/).pop() : undefined)));
  readonly arm64Hardware = once(() => this.probe(['sysctl', 'hw.optional.arm64'], (p) => parseSysctl(p.stdout, 'hw.optional.arm64')));
  readonly translated = once(() =>
    this.probe(['sysctl', 'sysctl.proc_translated'], (p) => parseSysctl(p.stdout, 'sysctl.proc_translated')),
  );
  readonly productVersion = once(() =>
    this.probe(['sw_vers', '-productVersion'], (p) => (p.outcome === 'ok' ? parseProductVersion(p.stdout) : undefined)),
  );
  readonly xcodeSelect = once(() => this.probe(['xcode-select', '-p'], (p) => parseXcodeSelect(p.stdout)));
  readonly devToolsSecurity = once(() =>
    this.probe(['DevToolsSecurity', '-status'], (p) =>
      p.outcome === 'not-found' ? undefined : parseDevToolsSecurity(p.stdout + p.stderr),
    ),
  );
  readonly groups = once(() => this.probe(['id', '-Gn'], (p) => (p.outcome === 'ok' ? parseGroups(p.stdout) : undefined)));

  readonly dlvQuarantine = once(async () => {
    const dlv = (await this.facts.dlvLocation()).found;
    if (!dlv) return undefined;
    return this.probe(['xattr', '-p', 'com.apple.quarantine', dlv.path], (p) => parseQuarantine(p.stdout, p.stderr, p.exitCode));
  });

  readonly firewall = once(async () => {
    const dlv = (await this.facts.dlvLocation()).found;
    const [global, blockAll, stealth, allowSigned, appBlocked] = await Promise.all([
      this.probe([SOCKETFILTERFW, '--getglobalstate'], (p) =>
        p.outcome === 'not-found' ? undefined : parseFirewallGlobal(p.stdout + p.stderr),
      ),
      this.probe([SOCKETFILTERFW, '--getblockall'], (p) => parseOnOff(p.stdout + p.stderr)),
      this.probe([SOCKETFILTERFW, '--getstealthmode'], (p) => parseOnOff(p.stdout + p.stderr)),
      this.probe([SOCKETFILTERFW, '--getallowsigned'], (p) => p.stdout.trim()),
      dlv ? this.probe([SOCKETFILTERFW, '--getappblocked', dlv.path], (p) => p.stdout.trim()) : Promise.resolve(undefined),
    ]);
    return { global, blockAll, stealth, allowSigned, appBlocked };
  });

  codesignVerify(file: string): Promise<Probed<CodesignVerify>> {
    return this.probe(['codesign', '--verify', '--verbose=2', file], (p) => parseCodesignVerify(p.stderr, p.exitCode));
  }

  /** Delve's order: $DELVE_DEBUGSERVER_PATH, debugserver on PATH, the CLT path, the Xcode path, lldb-server. */
  readonly debugserver = once(async (): Promise<DebugserverChoice> => {
    const host = this.facts.host;
    const choice: DebugserverChoice = { looked: [] };
    const look = async (file: string, rule: string) => {
      const st = await host.stat(file);
      const exists = st.exists === true && st.isFile === true;
      choice.looked.push({ path: file, exists, rule });
      return exists;
    };
    const onPath = async (name: string, rule: string) => {
      for (const dir of pathList(host, host.env('PATH'))) {
        if (await look(path.join(dir, name), rule)) return path.join(dir, name);
      }
      return undefined;
    };
    const fromEnv = host.env('DELVE_DEBUGSERVER_PATH');
    if (fromEnv) {
      // Delve uses it as is, without looking: a wrong value fails at launch.
      await look(fromEnv, 'DELVE_DEBUGSERVER_PATH');
      return { ...choice, path: fromEnv, via: 'DELVE_DEBUGSERVER_PATH' };
    }
    const xcode = (await this.xcodeSelect()).value;
    if (xcode) {
      choice.developerDir = xcode;
      const st = await host.stat(xcode);
      choice.developerDirExists = st.exists === true;
    }
    const found = await onPath('debugserver', 'debugserver on PATH');
    if (found) return { ...choice, path: found, via: 'PATH' };
    if (await look(CLT_DEBUGSERVER, 'Command Line Tools')) return { ...choice, path: CLT_DEBUGSERVER, via: 'Command Line Tools' };
    if (xcode) {
      const fromXcode = path.join(xcode, XCODE_DEBUGSERVER_RELATIVE);
      if (await look(fromXcode, 'xcode-select -p')) return { ...choice, path: fromXcode, via: 'xcode-select' };
    }
    const lldb = await onPath('lldb-server', 'lldb-server on PATH');
    if (lldb) return { ...choice, path: lldb, via: 'lldb-server on PATH' };
    return choice;
  });
}
