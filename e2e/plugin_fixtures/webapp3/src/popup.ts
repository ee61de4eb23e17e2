/**
 * A log-in popup as public plugins ship one: it reports its result to `window.opener` (the
 * plugin, in Webapp3) and closes.
 */
const back = window.opener as Window | null;
if (back) {
  back.postMessage({ kind: 'bv-popup-result', user: 'hanne@kommune.dk', hadOpener: true }, '*');
  setTimeout(() => window.close(), 200);
} else {
  document.body.textContent = 'Intet vindue at svare (noopener)';
}

export {};
