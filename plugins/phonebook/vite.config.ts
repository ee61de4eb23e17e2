import { resolve } from 'node:path';
import { defineConfig } from 'vite';

// A Webapp3 plugin: a hidden page (index.html: the toolbar button) and the widget it opens
// (widget.html: search and results), loaded from relative paths under
// /plugin-files/<id>/<version>/ (base './'); no inline script (the plugin page's CSP).
export default defineConfig({
  base: './',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    modulePreload: { polyfill: false },
    rollupOptions: {
      input: { index: resolve(__dirname, 'index.html'), widget: resolve(__dirname, 'widget.html') },
    },
  },
});
