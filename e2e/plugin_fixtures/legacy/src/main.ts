/**
 * The same small plugin built against @pexip/plugin-api 19.x and 21.x (build.mjs aliases the
 * package): what deployed plugins pinned to older versions do, still working here.
 */
import { registerPlugin } from '@pexip/plugin-api';

import { click, describe, note, phase, record, reply, step } from '../../shared/record';

record.who = __PLUGIN_ID__;

type Loose = Record<string, (payload?: unknown) => Promise<unknown>>;

const main = async (): Promise<void> => {
  const plugin = await registerPlugin({ id: __PLUGIN_ID__, version: 1 });
  record.registered = true;
  for (const [name, signal] of Object.entries(plugin.events)) {
    (signal as { add: (observer: (payload: unknown) => void) => void }).add((payload) => note(name, payload));
  }
  const button = await step('ui:button:add', () =>
    plugin.ui.addButton({ position: 'toolbar', icon: 'IconPexipLogo', tooltip: `Gammel ${__PLUGIN_ID__}` }),
  );
  button?.onClick.add((input) => {
    click('toolbar', input);
    void step('ui:form:open', () =>
      plugin.ui.showForm({
        title: `Formular ${__PLUGIN_ID__}`,
        form: { elements: { count: { name: 'Antal', type: 'number' }, note: { name: 'Note', type: 'text' } }, submitBtnTitle: 'OK' },
      }),
    ).then((input) => note('form-input', input));
  });
  await step('ui:button:add:settings', () => plugin.ui.addButton({ position: 'settingsMenu', label: `Indstilling ${__PLUGIN_ID__}`, inMeetingOnly: false }));
  const ui = plugin.ui as unknown as Loose;
  if (typeof ui.togglePlugin === 'function') {
    // 19.x: the side panel of the plugin's own iframeManager.
    await step('ui:plugin:toggle', () => (ui.togglePlugin as Loose[string])({ id: 'panel' }));
  }
  if (typeof ui.addWidget === 'function') {
    const widget = (await step('ui:widget:add', () =>
      (ui.addWidget as Loose[string])({ type: 'sidePanel', src: 'widget.html', title: 'Gammelt panel' }),
    )) as { id?: string } | undefined;
    // 19.x's toggle RPC, sent by hand, works on a widget of the same channel.
    if (widget?.id) reply('widget-id', describe(widget.id));
  }
  phase('registered');
};

main().catch((error: unknown) => {
  record.registered = error instanceof Error ? error.message : String(error);
  phase('failed');
});
