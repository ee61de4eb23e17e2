/**
 * The conformance plugin's widget: registers with `syn:widget` and records what the host
 * replays to it (conference status, authenticated, language, participants, me) and later.
 */
import { registerWidget } from '@pexip/plugin-api';

import { note, phase, record, step } from '../../shared/record';

record.who = `widget-${window.location.hash.slice(1) || 'default'}`;

const main = async (): Promise<void> => {
  const widget = await registerWidget({ parentPluginId: 'bv-conformance' });
  record.registered = true;
  for (const [name, signal] of Object.entries(widget.events)) {
    (signal as { add: (observer: (payload: unknown) => void) => void }).add((payload) => note(name, payload));
  }
  // A widget has the plugin API less addWidget: its own elements too.
  await step('ui:toast:show', () => widget.ui.showToast({ message: `Hilsen fra ${record.who}`, timeout: 2000 }));
  document.body.append(Object.assign(document.createElement('p'), { textContent: `Widget ${record.who}` }));
  phase('registered');
};

main().catch((error: unknown) => {
  record.registered = error instanceof Error ? error.message : String(error);
  phase('failed');
});
