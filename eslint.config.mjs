// ESLint for the webapp and the first-party plugins (`make lint`, `npm run lint`).
// The import zones keep the webapp's shape (webapp/README.md): a feature never imports another
// feature or the app shell; shared code (components, hooks, lib, config) imports neither; a
// plugin imports no other plugin, only plugins/shared.
import { readdirSync } from 'node:fs';

import js from '@eslint/js';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const folders = (path) =>
  readdirSync(new URL(path, import.meta.url), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name);

const FEATURES = folders('./webapp/src/features/');
const PLUGINS = folders('./plugins/').filter((name) => name !== 'shared');
const SHARED = ['components', 'hooks', 'lib', 'config', 'locales', 'styles'];

const featureZones = FEATURES.flatMap((feature) => [
  {
    target: `./webapp/src/features/${feature}`,
    from: './webapp/src/features',
    except: [`./${feature}`],
    message: 'A feature never imports another feature: move what both need to components/, hooks/ or lib/.',
  },
  {
    target: `./webapp/src/features/${feature}`,
    from: './webapp/src/app',
    message: 'A feature never imports the app shell (app/): the app composes the features.',
  },
]);

const sharedZones = SHARED.map((folder) => ({
  target: `./webapp/src/${folder}`,
  from: ['./webapp/src/features', './webapp/src/app'],
  message: 'Shared code imports no feature and not the app shell.',
}));

const pluginZones = PLUGINS.map((plugin) => ({
  target: `./plugins/${plugin}`,
  from: './plugins',
  except: [`./${plugin}`, './shared'],
  message: 'A plugin imports no other plugin; what they share is in plugins/shared.',
}));

export default tseslint.config(
  {
    // Only the webapp and the plugins are linted here (the Python has ruff).
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      '.venv/**',
      'bff/**',
      'bench/**',
      'devstack/**',
      'deploy/**',
      'emulator/**',
      'e2e/**',
      'branding/**',
      'docs/**',
    ],
  },
  {
    files: ['webapp/**/*.{ts,tsx,js,mjs}', 'plugins/**/*.{ts,tsx,js,mjs}', 'eslint.config.mjs'],
    extends: [js.configs.recommended, tseslint.configs.recommended, reactHooks.configs.flat.recommended],
    plugins: { 'import-x': importX },
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: 'module',
      globals: { ...globals.browser },
    },
    settings: {
      'import-x/resolver-next': [
        createTypeScriptImportResolver({
          project: ['webapp/tsconfig.json', 'plugins/*/tsconfig.json'],
          noWarnOnMultipleProjects: true,
        }),
      ],
    },
    rules: {
      // Every react-hooks rule is an error, not a warning: a finding is fixed, never silenced.
      ...Object.fromEntries(Object.keys(reactHooks.configs.flat.recommended.rules).map((rule) => [rule, 'error'])),
      'import-x/no-restricted-paths': ['error', { zones: [...featureZones, ...sharedZones, ...pluginZones] }],
      'import-x/no-cycle': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['webapp/scripts/**', 'plugins/*/vite.config.ts', 'webapp/vite.config.ts', 'eslint.config.mjs'],
    languageOptions: { globals: { ...globals.node } },
  },
);
