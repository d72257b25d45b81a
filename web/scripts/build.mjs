// Builds every web client into the server's wwwroot (or $KEFU_WEB_OUT):
//   widget.js, chat/ (H5 page and widget panel), console/, demo/.
import { cp, mkdir, rm } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const web = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outRoot = process.env.KEFU_WEB_OUT ?? resolve(web, '../src/Kefu.Server/wwwroot');
process.env.KEFU_WEB_OUT = outRoot;

export async function buildAll({ console: withConsole = true } = {}) {
  await rm(outRoot, { recursive: true, force: true });
  await mkdir(outRoot, { recursive: true });
  await build({ configFile: resolve(web, 'widget/vite.loader.config.ts') });
  await build({ configFile: resolve(web, 'widget/vite.chat.config.ts') });
  if (withConsole) await build({ configFile: resolve(web, 'console/vite.config.ts') });
  await cp(resolve(web, 'widget/demo'), resolve(outRoot, 'demo'), { recursive: true });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  await buildAll();
  console.log(`web: built into ${outRoot} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
