import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';

const here = fileURLToPath(new URL('.', import.meta.url));
const outRoot = process.env.KEFU_WEB_OUT ?? resolve(here, '../../src/Kefu.Server/wwwroot');

// The agent console, served at /console (the server falls back to index.html under /console/*).
export default defineConfig({
  root: here,
  base: '/console/',
  plugins: [vue()],
  resolve: { alias: { '@kefu/sdk': resolve(here, '../sdk/src/index.ts') } },
  define: { __VUE_OPTIONS_API__: 'false', __VUE_PROD_DEVTOOLS__: 'false', __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false' },
  build: { outDir: resolve(outRoot, 'console'), emptyOutDir: true, target: 'es2020', reportCompressedSize: false },
  server: { proxy: { '/api': 'http://127.0.0.1:8080', '/ws': { target: 'ws://127.0.0.1:8080', ws: true } } },
  logLevel: 'warn',
});
