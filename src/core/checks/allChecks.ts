import { macChecks } from './macChecks';
import { versionChecks } from './versionChecks';

/**
 * Every check, in the order reports list them. Its own module so that runDoctor can start the
 * version probes before this code (most of the doctor, with its knowledge) is loaded.
 */
export const allChecks = [...versionChecks, ...macChecks];
