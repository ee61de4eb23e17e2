/** Shown while a screen's code loads. */
export const RouteFallback = () => (
  <div className="page page--loading" role="status" aria-live="polite">
    <div className="spinner" aria-hidden="true" />
    <span className="visually-hidden">Indlæser…</span>
  </div>
);
