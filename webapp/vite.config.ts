import { copyFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, URL } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const OUT_DIR = 'dist';

/** The BFF's API docs page (/schema) loads Swagger UI from dist/api-docs/: no CDN needed. */
const apiDocsViewer = (): Plugin => ({
  name: 'borgervideo-api-docs-viewer',
  apply: 'build',
  closeBundle() {
    const from = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
    const to = join(OUT_DIR, 'api-docs');
    mkdirSync(to, { recursive: true });
    for (const file of ['swagger-ui-bundle.js', 'swagger-ui-standalone-preset.js', 'swagger-ui.css']) {
      copyFileSync(join(from, file), join(to, file));
    }
  },
});

// The built index.html is a Jinja template rendered by the BFF per party:
// `{{ csp_nonce }}` goes on every tag Vite writes (html.cspNonce) and the
// config placeholder lives in index.html itself.
export default defineConfig({
  base: '/',
  plugins: [react(), apiDocsViewer()],
  resolve: {
    alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) },
  },
  html: { cspNonce: '{{ csp_nonce }}' },
  // `vite dev` only: the app falls back to DEV_CONFIG and talks to a running BFF.
  server: { proxy: { '/api': process.env.BV_DEV_BFF ?? 'http://127.0.0.1:8080' } },
  build: {
    outDir: OUT_DIR,
    emptyOutDir: true,
    assetsDir: 'assets',
    sourcemap: false,
    target: 'es2022',
  },
});
