import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));
const outRoot = process.env.KEFU_WEB_OUT ?? resolve(here, '../../src/Kefu.Server/wwwroot');

// widget.js: one classic script (IIFE) that host pages embed with <script async>.
export default defineConfig({
  build: {
    outDir: outRoot,
    emptyOutDir: false,
    target: 'es2018',
    lib: { entry: resolve(here, 'src/loader.ts'), formats: ['iife'], name: 'KefuWidget', fileName: () => 'widget.js' },
    reportCompressedSize: false,
  },
  logLevel: 'warn',
});
