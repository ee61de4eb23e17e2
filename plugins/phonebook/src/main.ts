/**
 * phonebook: staff find where a person (a citizen by CPR number, a colleague by staff id) is
 * meeting right now, in any system connected to the phonebook, and join that meeting or move
 * the person into their own. The toolbar button opens a side panel (widget.html) that does
 * the work against the BFF's plugin API with the plugin token; this hidden page only adds
 * the button and hands its own fragment (party, API origin, token) on to the panel.
 */
import { type Button, registerPlugin, type ToolbarButtonPayload } from '@pexip/plugin-api';
import { loadSettings, readContext } from '../../shared/context';
import { hostLanguage } from '../../shared/i18n';
import { speak, t } from './messages';

const PLUGIN_ID = 'phonebook';

/** `buttonLabel`: the party's own words, in every language; empty: ours. */
interface Settings {
  buttonLabel: string;
}

const main = async (): Promise<void> => {
  const context = readContext(window.location.hash, window.location.origin);
  const plugin = await registerPlugin({ id: PLUGIN_ID, version: 0 });
  let button: Button<'toolbar'> | null = null;
  let settings: Settings = { buttonLabel: '' };
  const look = (): ToolbarButtonPayload => ({
    position: 'toolbar',
    icon: 'IconSearch',
    tooltip: settings.buttonLabel || t('button'),
    roles: ['chair'],
  });
  const language = hostLanguage(plugin.events, (chosen) => {
    speak(chosen);
    void button?.update(look());
  });
  settings = await loadSettings<Settings>(context, PLUGIN_ID, settings);
  speak(await language);
  const panel = await plugin.ui.addWidget({
    type: 'sidePanel',
    src: `widget.html${window.location.hash}`,
    title: settings.buttonLabel || t('title'),
  });
  const added = await plugin.ui.addButton(look());
  button = added;
  added.onClick.add(() => {
    void panel.toggle();
  });
};

void main();
