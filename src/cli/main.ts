import { TOOL } from '../core/output/tool';
import { findCommand, usageText } from './commands';
import { EXIT, UsageError, type Io } from './common';
import { reportError } from './errors';

export { EXIT, type Io } from './common';

export async function main(argv: string[], io: Io): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
      const topic = command === 'help' ? rest[0] : undefined;
      if (!topic) {
        io.stdout(usageText(TOOL.version));
        return command === undefined ? EXIT.usage : EXIT.ok;
      }
      const entry = findCommand(topic);
      if (!entry) throw new UsageError(`no help for "${topic}"`);
      io.stdout((await entry.load()).help);
      return EXIT.ok;
    }
    if (command === '--version' || command === 'version') {
      io.stdout(`${TOOL.version}\n`);
      return EXIT.ok;
    }
    const entry = findCommand(command);
    if (!entry) throw new UsageError(`unknown command "${command}"`);
    return await (await entry.load()).run(rest, io);
  } catch (err) {
    return reportError(err, io);
  }
}
