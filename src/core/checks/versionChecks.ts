// The version rows, in the order the report shows them.
import type { Facts } from '../facts/facts';
import { moduleSettingsCheck } from './moduleCheck';
import type { Check } from './types';
import { dlvCheck } from './dlvCheck';
import { goCheck, goEnvCheck, workspaceGoCheck } from './goChecks';
import { goplsCheck } from './goplsCheck';
import { goExtensionCheck } from './goExtensionCheck';
import { delveGoCheck, dwarf5Check, goplsGoCheck } from './compatChecks';
import { profileCheck } from './profileCheck';

export const versionChecks: readonly Check<Facts>[] = [
  goCheck,
  goEnvCheck,
  moduleSettingsCheck,
  workspaceGoCheck,
  dlvCheck,
  goplsCheck,
  goExtensionCheck,
  delveGoCheck,
  dwarf5Check,
  goplsGoCheck,
  profileCheck,
];
