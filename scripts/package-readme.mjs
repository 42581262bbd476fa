// The README as the .vsix carries it. VS Code's extension details page shows README images only
// from http(s) URLs: a relative one shows as a broken image, and its markdown sanitizer drops data:
// sources (both seen in code-server 4.139.1). Until the project has a public home for vsce to turn
// relative links into https ones (package.json `repository`), the packaged README leaves out the
// screenshots and keeps the words of links to the repository's other pages, which would lead nowhere.
// Usage: node scripts/package-readme.mjs OUT (then vsce package --readme-path OUT).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = resolve(process.argv[2] ?? join(root, 'dist', 'README.md'));
const relative = '(?!https?:|#)[^)\\s]+';
let images = 0;
const text = readFileSync(join(root, 'README.md'), 'utf8')
  // An image alone in its paragraph (with its indentation) goes with its blank line.
  .replace(new RegExp(`\\n[ \\t]*!\\[[^\\]]*\\]\\(${relative}\\)[ \\t]*\\n`, 'g'), () => (images++, '\n'))
  .replace(new RegExp(`(?<!!)\\[([^\\]]+)\\]\\(${relative}\\)`, 'g'), '$1')
  .replace(/\n{3,}/g, '\n\n');
if (/!\[[^\]]*\]\((?!https?:)/.test(text)) throw new Error('README.md: an image inside a paragraph; give it a line of its own');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, text);
console.log(`${out}: ${images} local images left out (the details page shows only https images)`);
