import type { Facts } from '../facts/facts';
import type { Check } from './types';

/** A check that spreads this runs on macOS only; the engine skips it elsewhere. */
export const MAC: Pick<Check<Facts>, 'platforms'> = { platforms: ['darwin'] };

/** Delve's own notes on macOS, the source of the debugserver and developer-mode rows. */
export const DELVE_INSTALL_DOC = 'go-delve/delve@v1.27.1 Documentation/installation/README.md "macOS considerations"';
