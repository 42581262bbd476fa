import type { Facts } from '../facts/facts';
import { macFactsOf } from '../facts/macFacts';
import { probeEvidence, type Check } from './types';
import { MAC } from './macOnly';

export const firewallCheck: Check<Facts> = {
  ...MAC,
  id: 'mac.firewall',
  title: 'Application firewall',
  async run(facts) {
    const fw = await macFactsOf(facts).firewall();
    const evidence = [fw.global, fw.blockAll, fw.stealth, fw.allowSigned, fw.appBlocked]
      .filter((x) => x !== undefined)
      .map((x) => probeEvidence(x!.probe));
    const loopback = 'dlv-dap and the configurations Go Debug Doctor writes listen on 127.0.0.1, which the firewall never filters.';
    if (fw.global.value === undefined) return { status: 'skip', summary: 'socketfilterfw is not available here.', evidence };
    if (fw.global.value === 'unrecognised')
      return { status: 'warn', summary: 'socketfilterfw said something unrecognised about the firewall state.', evidence };
    if (fw.global.value === 'off') return { status: 'pass', summary: `The firewall is off. ${loopback}`, evidence };
    const blockAll = fw.global.value === 'block-all' || fw.blockAll.value === 'enabled';
    if (blockAll) {
      return {
        status: 'warn',
        summary: `The firewall blocks all incoming connections: a headless dlv listening on all interfaces (--listen=:2345) cannot be reached from another machine. ${loopback}`,
        evidence,
        fixes: [{ label: 'Keep dlv on 127.0.0.1 and reach it through an SSH tunnel (ssh -L 2345:127.0.0.1:2345 host)' }],
      };
    }
    return {
      status: 'pass',
      summary: `The firewall is on; a dlv listening on all interfaces would trigger a prompt. ${loopback}`,
      evidence,
    };
  },
};
