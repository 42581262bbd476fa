// The macOS rows, in the order the report shows them.
import type { Facts } from '../facts/facts';
import type { Check } from './types';
import { macCpuCheck } from './macCpuCheck';
import { macOSVersionCheck } from './macOSVersionCheck';
import { macUuidCheck } from './macUuidCheck';
import { debugserverCheck } from './debugserverCheck';
import { devToolsCheck } from './devToolsCheck';
import { dlvSignatureCheck, quarantineCheck } from './signatureQuarantineChecks';
import { firewallCheck } from './firewallCheck';

export const macChecks: readonly Check<Facts>[] = [
  macCpuCheck,
  macOSVersionCheck,
  macUuidCheck,
  debugserverCheck,
  devToolsCheck,
  dlvSignatureCheck,
  quarantineCheck,
  firewallCheck,
];
