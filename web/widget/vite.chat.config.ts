import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));
const outRoot = process.env.KEFU_WEB_OUT ?? resolve(here, '../../src/Kefu.Server/wwwroot');

// The H5 chat page, served at /chat (and framed by the widget loader).
export default defineConfig({
  root: resolve(here, 'chat'),
  base: '/chat/',
  resolve: { alias: { '@kefu/sdk': resolve(here, '../sdk/src/index.ts') } },
  build: {
    outDir: resolve(outRoot, 'chat'),
    emptyOutDir: true,
    target: 'es2020',
    assetsDir: 'assets',
    reportCompressedSize: false,
  },
  logLevel: 'warn',
});
