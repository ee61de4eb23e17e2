// First: asks for the camera while React's own code is still being evaluated.
import './early-start';
import '@/styles/app.css';

import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

import { applyBranding } from '@/lib/branding';
import { readConfig } from '@/lib/config';
import { initialLanguage, type LoadedLanguage, loadLanguage } from '@/lib/i18n';

import { AppProviders } from './providers';
import { AppRouter } from './router';

const config = readConfig();
applyBranding(config);

const root = document.getElementById('root');
if (!root) throw new Error('#root missing from index.html');

const render = (language: LoadedLanguage) =>
  createRoot(root).render(
    <StrictMode>
      <AppProviders config={config} language={language}>
        <AppRouter config={config} />
      </AppProviders>
    </StrictMode>,
  );

// Danish is in this chunk: no wait. Another language is a small chunk of its own.
void loadLanguage(initialLanguage(), config.manifest.translations).then(render);
