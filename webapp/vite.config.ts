import { fileURLToPath, URL } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The built index.html is a Jinja template rendered by the BFF per party:
// `{{ csp_nonce }}` goes on every tag Vite writes (html.cspNonce) and the
// config placeholder lives in index.html itself.
export default defineConfig({
  base: '/',
  plugins: [react()],
  resolve: {
    alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) },
  },
  html: { cspNonce: '{{ csp_nonce }}' },
  // `vite dev` only: the app falls back to DEV_CONFIG and talks to a running BFF.
  server: { proxy: { '/api': process.env.BV_DEV_BFF ?? 'http://127.0.0.1:8080' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    sourcemap: false,
    target: 'es2022',
  },
});
