/**
 * phonebook: staff find where a person (a citizen by CPR number, a colleague by staff id) is
 * meeting right now, in any system connected to the phonebook, and join that meeting or move
 * the person into their own. The toolbar button opens a side panel (widget.html) that does
 * the work against the BFF's plugin API with the plugin token; this hidden page only adds
 * the button and hands its own fragment (party, API origin, token) on to the panel.
 */
import { registerPlugin } from '@pexip/plugin-api';
import { loadSettings, readContext } from '../../shared/context';

const PLUGIN_ID = 'phonebook';

interface Settings {
  buttonLabel: string;
}

const main = async (): Promise<void> => {
  const context = readContext(window.location.hash, window.location.origin);
  const plugin = await registerPlugin({ id: PLUGIN_ID, version: 0 });
  const settings = await loadSettings<Settings>(context, PLUGIN_ID, { buttonLabel: 'Telefonbog' });
  const panel = await plugin.ui.addWidget({
    type: 'sidePanel',
    src: `widget.html${window.location.hash}`,
    title: settings.buttonLabel,
  });
  const button = await plugin.ui.addButton({
    position: 'toolbar',
    icon: 'IconSearch',
    tooltip: settings.buttonLabel,
    roles: ['chair'],
  });
  button.onClick.add(() => {
    void panel.toggle();
  });
};

void main();
