// The README as the .vsix carries it: every image the README shows from docs/images is embedded as a
// data: URI. VS Code's extension details page renders a package's README in a webview that loads
// images only from https: and data: (its Content-Security-Policy), and there is no public repository
// yet for vsce to turn relative links into https ones; a relative image would show broken.
// Usage: node scripts/package-readme.mjs OUT (then vsce package --readme-path OUT).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = resolve(process.argv[2] ?? join(root, 'dist', 'README.md'));
const TYPES = { '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif' };
let embedded = 0;
let bytes = 0;
const text = readFileSync(join(root, 'README.md'), 'utf8').replace(/(!\[[^\]]*\]\()(docs\/images\/[^)\s]+)(\))/g, (_, open, src, close) => {
  const type = TYPES[extname(src).toLowerCase()];
  if (!type) throw new Error(`README.md: ${src} is not an image type the details page shows (png, jpg, gif)`);
  const data = readFileSync(join(root, src));
  embedded++;
  bytes += data.length;
  return `${open}data:${type};base64,${data.toString('base64')}${close}`;
});
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, text);
console.log(`${out}: ${embedded} images embedded (${Math.round(bytes / 1024)} KB)`);
