/**
 * A hostile plugin: tries what a sandboxed plugin must not be able to do, and records what
 * happened. The test reads `record` and calls `attack(chanId)` with another plugin's channel.
 */
import { registerPlugin } from '@pexip/plugin-api';

import { describe, note, phase, record, reply } from '../../shared/record';

record.who = 'hostile';

const attempt = (name: string, run: () => unknown): void => {
  try {
    reply(name, { ok: describe(run()) });
  } catch (error) {
    reply(name, { threw: error instanceof Error ? error.name : String(error) });
  }
};

/** Every message the host (or anyone) sends this window. */
window.addEventListener('message', (event) => {
  note('message', { fromParent: event.source === window.parent, data: event.data });
});

const post = (message: object): void => window.parent.postMessage(message, '*');

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Acting before any handshake: an RPC on a channel nobody acknowledged. */
const beforeHandshake = async (): Promise<void> => {
  post({ chanId: 'bv-hostile-early', rpc: 'ui:button:add', id: 'early-1', payload: { position: 'toolbar', icon: 'IconStar', tooltip: 'Tidlig' } });
  post({ chanId: 'bv-hostile-early', rpc: 'ui:toast:show', id: 'early-2', payload: { message: 'Tidlig besked' } });
  post({ chanId: 'bv-hostile-early', rpc: 'conference:lock', id: 'early-3', payload: { lock: true } });
  await wait(500);
};

const escape = (): void => {
  attempt('cookie', () => document.cookie);
  attempt('parent-document', () => window.parent.document.title);
  attempt('parent-body', () => window.parent.document.body.innerHTML.length);
  attempt('top-cookie', () => window.top?.document.cookie);
  attempt('parent-location-read', () => window.parent.location.href);
  attempt('local-storage', () => window.localStorage.length);
  attempt('navigate-top', () => {
    if (window.top) window.top.location.href = 'https://example.com/kapret';
    return 'assigned';
  });
  attempt('open-top', () => window.open('https://example.com/kapret', '_top'));
};

const impostors = async (): Promise<void> => {
  // Registering as another plugin, and as a widget, from this plugin's frame.
  post({ chanId: 'bv-conformance-00000000-0000-4000-8000-000000000000', rpc: 'syn', id: 'syn-other', payload: { id: 'bv-conformance', version: 1 } });
  post({ chanId: 'bv-hostile:widget-00000000-0000-4000-8000-000000000000', rpc: 'syn:widget', id: 'syn-widget', payload: { parentPluginId: 'bv-hostile' } });
  await wait(500);
};

/** Called by the test with another plugin's channel id: every use of it must go unanswered. */
const attack = async (chanId: string): Promise<void> => {
  post({ chanId, rpc: 'ui:button:add', id: 'steal-1', payload: { position: 'toolbar', icon: 'IconStar', tooltip: 'Kapret' } });
  post({ chanId, rpc: 'ui:toast:show', id: 'steal-2', payload: { message: 'Kapret besked' } });
  post({ chanId, rpc: 'conference:lock', id: 'steal-3', payload: { lock: true } });
  post({ chanId, rpc: 'syn', id: 'steal-4', payload: { id: 'bv-conformance', version: 1 } });
  await wait(800);
  phase('attacked');
};
(window as unknown as { attack: typeof attack }).attack = attack;

const main = async (): Promise<void> => {
  await beforeHandshake();
  escape();
  await impostors();
  const plugin = await registerPlugin({ id: 'bv-hostile', version: 1 });
  record.registered = true;
  // Within its own rights: a button, and a widget that is not http(s).
  await plugin.ui.addButton({ position: 'toolbar', icon: 'IconWarning', tooltip: 'Fjendtlig' }).then(
    () => reply('own-button', 'ok'),
    (error: unknown) => reply('own-button', { rejected: describe(error) }),
  );
  await plugin.ui.addWidget({ type: 'sidePanel', src: 'javascript:parent.alert(1)', title: 'x' }).then(
    () => reply('widget-javascript', 'ok'),
    (error: unknown) => reply('widget-javascript', { rejected: describe(error) }),
  );
  phase('ready');
};

main().catch((error: unknown) => {
  record.registered = error instanceof Error ? error.message : String(error);
  phase('failed');
});
