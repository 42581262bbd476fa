import type { Facts } from '../facts/facts';
import { macFactsOf } from '../facts/macFacts';
import { probeEvidence, type Check, type Evidence, type Fix } from './types';
import { MAC, DELVE_INSTALL_DOC } from './macOnly';

export const debugserverCheck: Check<Facts> = {
  ...MAC,
  id: 'mac.debugserver',
  title: 'Command Line Tools and debugserver',
  async run(facts) {
    const mac = macFactsOf(facts);
    const [choice, xcode] = await Promise.all([mac.debugserver(), mac.xcodeSelect()]);
    const evidence: Evidence[] = [
      probeEvidence(xcode.probe),
      {
        label: 'where Delve looks, in order',
        value: choice.looked.map((l) => `${l.exists ? 'found  ' : 'missing'} ${l.path} (${l.rule})`).join('\n'),
      },
    ];
    const sources = ['go-delve/delve@v1.27.1 pkg/proc/gdbserial/gdbserver.go (debugserver search order)'];
    const staleDir =
      choice.developerDir && choice.developerDirExists === false
        ? `xcode-select points at ${choice.developerDir}, which does not exist (Xcode moved or removed).`
        : undefined;
    if (!choice.path) {
      const fixes: Fix[] = [{ label: 'Install the Command Line Tools', command: 'xcode-select --install' }];
      if (staleDir)
        fixes.push({
          label: 'Point xcode-select back at the default tools (needs an administrator)',
          command: 'sudo xcode-select --reset',
        });
      return {
        status: 'fail',
        summary: `No debugserver: ${staleDir ?? (choice.developerDir ? `neither the Command Line Tools nor ${choice.developerDir} has one.` : 'no Command Line Tools or Xcode is selected.')} Delve will say "debugserver or lldb-server not found".`,
        detail:
          "Delve says: could not launch process: debugserver or lldb-server not found: install Xcode's command line tools or lldb-server",
        evidence,
        fixes,
        sources: [...sources, DELVE_INSTALL_DOC],
      };
    }
    if (choice.via === 'DELVE_DEBUGSERVER_PATH' && !choice.looked[0]?.exists) {
      return {
        status: 'fail',
        summary: `DELVE_DEBUGSERVER_PATH names ${choice.path}, which does not exist; Delve uses it without looking and fails at launch.`,
        evidence,
        fixes: [{ label: 'Unset DELVE_DEBUGSERVER_PATH (or point it at a real debugserver)', command: 'unset DELVE_DEBUGSERVER_PATH' }],
        sources,
      };
    }
    const [binary, verify] = await Promise.all([facts.readBinary(choice.path), mac.codesignVerify(choice.path)]);
    evidence.push(probeEvidence(verify.probe));
    const sig = binary.info?.slices[0]?.signature;
    const signedByCertificate = binary.info?.slices.every((s) => s.signature?.hasCms) ?? false;
    if (binary.info && !signedByCertificate) {
      return {
        status: 'warn',
        summary: `debugserver at ${choice.path} is ${sig ? 'signed ad hoc' : 'not signed'}: only Apple's signed debugserver may control other processes.`,
        evidence,
        fixes: [{ label: 'Reinstall the Command Line Tools', command: 'xcode-select --install' }],
        sources,
      };
    }
    return {
      status: staleDir ? 'warn' : 'pass',
      summary: `Delve will use ${choice.path} (via ${choice.via})${sig?.identifier ? `, signed (${sig.identifier})` : ''}.${staleDir ? ` ${staleDir}` : ''}`,
      evidence,
      ...(staleDir
        ? {
            fixes: [
              {
                label: 'Point xcode-select at an existing developer folder (needs an administrator)',
                command: 'sudo xcode-select --reset',
              },
            ],
          }
        : {}),
      sources,
    };
  },
};
