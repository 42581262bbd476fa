import type { Facts } from '../facts/facts';
import type { Check } from './types';
import { UNTRUSTED } from './toolOutcomes';

export const goExtensionCheck: Check<Facts> = {
  id: 'tools.goExtension',
  title: 'Go extension for VS Code',
  async run(facts) {
    const ext = await facts.goExtension();
    // VS Code switches the Go extension off in Restricted Mode: "not found" would be false.
    if (!ext && !facts.trusted) return UNTRUSTED('the Go extension: VS Code keeps it off in Restricted Mode until');
    if (!ext) {
      return {
        status: 'warn',
        summary: 'The Go extension (golang.go) was not found; VS Code needs it to debug Go.',
        fixes: [{ label: 'Install the Go extension', command: 'code --install-extension golang.go' }],
      };
    }
    return { status: 'pass', summary: `Go extension ${ext.version}${ext.path ? ` at ${ext.path}` : ''}.` };
  },
};
