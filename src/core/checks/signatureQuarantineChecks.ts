import type { Facts } from '../facts/facts';
import { macFactsOf } from '../facts/macFacts';
import { shellQuote } from '../probes/display';
import { probeEvidence, type Check } from './types';
import { MAC } from './macOnly';

export const dlvSignatureCheck: Check<Facts> = {
  ...MAC,
  id: 'mac.signature',
  title: 'dlv code signature for the backend in use',
  async run(facts) {
    const dlv = await facts.dlvBinary();
    if (!dlv) return { status: 'skip', summary: 'Skipped: dlv was not found.' };
    const verify = await macFactsOf(facts).codesignVerify(dlv.path);
    const evidence = [probeEvidence(verify.probe)];
    const slices = dlv.info?.slices ?? [];
    const kinds = slices.map(
      (s) =>
        `${s.arch}: ${!s.signature ? 'unsigned' : s.signature.hasCms ? `certificate${s.signature.teamId ? ` (team ${s.signature.teamId})` : ''}${s.signature.runtime ? ', hardened runtime' : ''}` : s.signature.linkerSigned ? 'ad hoc (linker-signed)' : 'ad hoc'}`,
    );
    evidence.push({ label: 'signature (read from the file)', value: kinds.join('\n') || dlv.error || 'unreadable' });
    const sources = ['go-delve/delve@v1.27.1 pkg/proc/native/*_darwin.go (macnative build tag); Documentation/installation/README.md'];
    if (facts.backend === 'native') {
      const tags = slices.map((s) => s.goBuildInfo?.tags ?? '').join(',');
      const certificate = slices.every((s) => s.signature?.hasCms);
      if (!/\bmacnative\b/.test(tags) || !certificate) {
        return {
          status: 'fail',
          summary: `--backend=native needs a dlv built with the macnative tag and signed with a certificate; this dlv is ${/\bmacnative\b/.test(tags) ? '' : 'built without macnative'}${!/\bmacnative\b/.test(tags) && !certificate ? ' and ' : ''}${certificate ? '' : 'not certificate-signed'}, so Delve will say "native backend disabled during compilation".`,
          detail:
            "A `go install` build never has the native backend. The default backend (Apple's debugserver) needs no signature on dlv and is the one Delve recommends.",
          evidence,
          fixes: [{ label: 'Use the default backend: remove "backend": "native" from launch.json (or --backend=native from dlvFlags)' }],
          sources,
        };
      }
      return { status: 'pass', summary: 'dlv has the native backend and a certificate signature.', evidence, sources };
    }
    return {
      status: 'pass',
      summary: `No signature needed: with the ${facts.backend === 'default' ? 'default' : facts.backend} backend Delve drives Apple's signed debugserver. This dlv is ${kinds.map((k) => k.split(': ')[1]).join(' / ') || 'unreadable'}${slices.length === 1 && slices[0]!.arch === 'x86_64' && !slices[0]!.signature ? ', as every Go binary for Intel Macs is' : ''}.`,
      evidence,
      sources,
    };
  },
};

export const quarantineCheck: Check<Facts> = {
  ...MAC,
  id: 'mac.quarantine',
  title: 'dlv quarantine',
  async run(facts) {
    const q = await macFactsOf(facts).dlvQuarantine();
    if (!q) return { status: 'skip', summary: 'Skipped: dlv was not found.' };
    const dlv = (await facts.dlvLocation()).found!.path;
    const evidence = [probeEvidence(q.probe)];
    if (q.value.state === 'quarantined') {
      return {
        status: 'fail',
        summary: `dlv is quarantined${q.value.agent ? ` (downloaded by ${q.value.agent})` : ''}: Gatekeeper may block it or show a prompt that VS Code cannot answer.`,
        evidence,
        fixes: [
          { label: 'Remove the quarantine flag', command: shellQuote(['xattr', '-d', 'com.apple.quarantine', dlv]) },
          { label: 'Or install dlv with go install, which never sets it', action: 'installDlv' },
        ],
      };
    }
    if (q.value.state === 'unrecognised') return { status: 'warn', summary: '`xattr` said something unrecognised about dlv.', evidence };
    return { status: 'pass', summary: 'dlv is not quarantined.', evidence };
  },
};
