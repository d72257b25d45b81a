import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';

const here = fileURLToPath(new URL('.', import.meta.url));
const web = resolve(here, '..');
const outRoot = process.env.KEFU_WEB_OUT ?? resolve(web, '../src/Kefu.Server/wwwroot');

// The agent console, served at /console (the server falls back to its index.html under /console/*,
// so its scripts and styles live outside that prefix, in /assets/console/).
export default defineConfig({
  root: web,
  base: '/',
  plugins: [vue()],
  resolve: { alias: { '@kefu/sdk': resolve(web, 'sdk/src/index.ts') } },
  define: { __VUE_OPTIONS_API__: 'false', __VUE_PROD_DEVTOOLS__: 'false', __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false' },
  build: {
    outDir: outRoot,
    emptyOutDir: false,
    assetsDir: 'assets/console',
    target: 'es2020',
    reportCompressedSize: false,
    rollupOptions: { input: resolve(here, 'index.html') },
  },
  server: { proxy: { '/api': 'http://127.0.0.1:8080', '/ws': { target: 'ws://127.0.0.1:8080', ws: true } } },
  logLevel: 'warn',
});
