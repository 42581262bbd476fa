import type { Facts } from '../facts/facts';
import { buildGoFor, recommendedDelve, LC_UUID_DYLD_MESSAGE, LC_UUID_GO, LC_UUID_MACOS, LC_UUID_SOURCES } from '../knowledge';
import { macFactsOf } from '../facts/macFacts';
import { compareMacOS } from '../facts/macParsers';
import { compareGo, compareGoMinor, formatGoVersion, goMinor } from '../facts/versions';
import { goInstallArgs } from '../knowledge/tools';
import { shellQuote } from '../probes/display';
import { probeEvidence, type Check, type Evidence, type Fix } from './types';
import { MAC } from './macOnly';

/**
 * macOS 26 refuses Mach-O files without LC_UUID, which Go's linker writes only since Go 1.24: a dlv
 * built by an older Go does not start, and a program built by one cannot be launched to debug.
 */
export const macUuidCheck: Check<Facts> = {
  ...MAC,
  id: 'mac.uuid',
  title: 'LC_UUID (macOS 26 refuses binaries without it)',
  async run(facts) {
    const [sw, dlv, buildInfo, effective, local] = await Promise.all([
      macFactsOf(facts).productVersion(),
      facts.dlvBinary(),
      facts.dlvBuildInfo(),
      facts.effectiveGo(),
      facts.goVersion(),
    ]);
    const evidence: Evidence[] = [probeEvidence(sw.probe)];
    const macOS = sw.value;
    const problems: string[] = [];
    const fixes: Fix[] = [];
    const slices = dlv?.info?.format.startsWith('macho') ? dlv.info.slices : [];
    if (dlv && slices.length) {
      evidence.push({
        label: 'dlv LC_UUID (read from the file)',
        value: `${slices.map((s) => `${s.arch}: ${s.uuid ?? 'none'}`).join(', ')}${buildInfo ? ` (built with ${buildInfo.raw})` : ''} — ${dlv.path}`,
      });
    }
    if (dlv && slices.length && slices.some((s) => s.uuid === null)) {
      problems.push(
        `dlv at ${dlv.path} has no LC_UUID load command${buildInfo ? ` (it was built with ${buildInfo.raw}, older than Go 1.24)` : ''}`,
      );
      const rec = effective ? recommendedDelve(effective.version) : undefined;
      if (rec && effective) {
        const buildGo = buildGoFor(rec, effective.version);
        const atLeast = compareGo(buildGo, { ...LC_UUID_GO, patch: 0 }) >= 0 ? buildGo : { ...LC_UUID_GO, patch: 0 };
        const needSwitch = !local?.value || compareGo(local.value.version, atLeast) < 0;
        fixes.push({
          label: `Reinstall dlv (Delve ${rec.version}) with Go ${goMinor(atLeast)} or newer`,
          command: `${needSwitch ? `GOTOOLCHAIN=${formatGoVersion(atLeast)} ` : ''}${shellQuote(goInstallArgs('dlv', rec.version))}`,
          action: 'installDlv',
          data: { dlvVersion: rec.version },
        });
      }
    }
    if (effective && compareGoMinor(effective.version, LC_UUID_GO) < 0) {
      problems.push(
        `programs here are built with ${formatGoVersion(effective.version)}, whose linker writes no LC_UUID (Go 1.24 and newer do)`,
      );
      fixes.push({
        label: 'Build with Go 1.24 or newer: raise the go line (or add a toolchain line) in go.mod, or install a newer Go',
        command: 'go get go@1.24.0',
      });
    }
    if (!problems.length) {
      return {
        status: 'pass',
        summary: `dlv${effective ? ` and programs built with ${formatGoVersion(effective.version)}` : ''} carry the LC_UUID load command macOS 26 requires.`,
        evidence,
        sources: LC_UUID_SOURCES,
      };
    }
    const on26 = macOS !== undefined && compareMacOS(macOS, LC_UUID_MACOS) >= 0;
    const list = problems.join('; and ');
    if (on26) {
      return {
        status: 'fail',
        summary: `macOS ${macOS} refuses to load Mach-O files without LC_UUID ("dyld: ${LC_UUID_DYLD_MESSAGE}"): ${list}.`,
        detail: 'dyld aborts the process before it runs a single instruction, so dlv or the program being debugged dies at once.',
        evidence,
        fixes,
        sources: LC_UUID_SOURCES,
      };
    }
    return {
      status: 'warn',
      summary: `Works on macOS ${macOS ?? '(version unknown)'}, but macOS 26 will refuse it ("dyld: ${LC_UUID_DYLD_MESSAGE}"): ${list}.`,
      detail: 'Fix it before upgrading to macOS 26 (Tahoe).',
      evidence,
      fixes,
      sources: LC_UUID_SOURCES,
    };
  },
};
