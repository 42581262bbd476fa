// Entry point of the extension-host suite: code-server's Node extension host loads the bundle
// (out/vscode-test/suite/index.js) through extensionTestsPath and calls run(). Every *.itest.js next
// to it is a mocha file (bdd: describe/it imported from 'mocha'). `npm run test:e2e` runs it;
// GDD_E2E_GREP (set by `npm run test:e2e -- --grep TEXT`) runs only the matching tests.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: 'spec' });
  const grep = process.env.GDD_E2E_GREP;
  if (grep) mocha.grep(grep);
  const root = path.resolve(__dirname, '..');
  for (const file of fs.readdirSync(root).sort()) if (file.endsWith('.itest.js')) mocha.addFile(path.join(root, file));
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const stats = runner.stats;
      console.log(`${stats?.passes ?? 0} passed, ${failures} failed${stats?.pending ? `, ${stats.pending} pending` : ''}`);
      if (failures) reject(new Error(`${failures} extension-host tests failed`));
      else resolve();
    });
  });
}
