import { Button } from '@/components/button';

export const ConnectingScreen = ({ onCancel }: { onCancel: () => void }) => (
  <section className="panel panel--center" aria-busy="true">
    <div className="spinner" aria-hidden="true" />
    <h1 role="status">Forbinder til mødet…</h1>
    <Button variant="secondary" onClick={onCancel}>
      Annuller
    </Button>
  </section>
);
