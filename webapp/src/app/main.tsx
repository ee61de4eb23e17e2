// First: asks for the camera while React's own code is still being evaluated.
import './early-start';
import '@/styles/app.css';

import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

import { applyBranding } from '@/lib/branding';
import { readConfig } from '@/lib/config';

import { AppProviders } from './providers';
import { AppRouter } from './router';

const config = readConfig();
applyBranding(config);

const root = document.getElementById('root');
if (!root) throw new Error('#root missing from index.html');

createRoot(root).render(
  <StrictMode>
    <AppProviders config={config}>
      <AppRouter config={config} />
    </AppProviders>
  </StrictMode>,
);
