// Builds each test plugin into <fixture>/dist (the entry its plugin.json names). The legacy
// plugin is one source built twice: against @pexip/plugin-api 19.x and 21.x; the webapp3 one
// three times: 22.x (bv-webapp3), 19.x (bv-webapp3-19) and 21.x (bv-webapp3-21).
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { build } from 'vite';

const here = dirname(fileURLToPath(import.meta.url));

const fixtures = [
  { root: 'conformance', out: 'conformance', pages: ['index.html', 'widget.html'] },
  { root: 'hostile', out: 'hostile', pages: ['index.html'] },
  { root: 'webapp3', out: 'webapp3', pages: ['index.html', 'popup.html'], id: 'bv-webapp3' },
  { root: 'webapp3', out: 'webapp3-19', pages: ['index.html', 'popup.html'], api: 'plugin-api-19', id: 'bv-webapp3-19' },
  { root: 'webapp3', out: 'webapp3-21', pages: ['index.html', 'popup.html'], api: 'plugin-api-21', id: 'bv-webapp3-21' },
  { root: 'legacy', out: 'legacy19', pages: ['index.html'], api: 'plugin-api-19', id: 'bv-legacy19' },
  { root: 'legacy', out: 'legacy21', pages: ['index.html', 'widget.html'], api: 'plugin-api-21', id: 'bv-legacy21' },
];

for (const fixture of fixtures) {
  const root = join(here, fixture.root);
  await build({
    root,
    configFile: false,
    logLevel: 'warn',
    base: './',
    resolve: fixture.api ? { alias: { '@pexip/plugin-api': fixture.api } } : {},
    define: { __PLUGIN_ID__: JSON.stringify(fixture.id ?? '') },
    build: {
      outDir: join(here, fixture.out, 'dist'),
      emptyOutDir: true,
      target: 'es2022',
      modulePreload: { polyfill: false },
      rollupOptions: { input: Object.fromEntries(fixture.pages.map((page) => [page.replace('.html', ''), join(root, page)])) },
    },
  });
}
