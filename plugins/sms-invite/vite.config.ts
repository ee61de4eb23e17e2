import { defineConfig } from 'vite';

// A Webapp3 plugin: one hidden page and its script, loaded from relative paths under
// /plugin-files/<id>/<version>/ (base './'); no inline script (the plugin page's CSP).
export default defineConfig({
  base: './',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    modulePreload: { polyfill: false },
  },
});
