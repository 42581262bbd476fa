import { name, version } from '../../../package.json';

/** Who wrote a report: `--version`, the usage text and every report carry it. */
export const TOOL = { name, version } as const;
