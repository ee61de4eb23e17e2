/**
 * The Webapp3-behaviour plugin (@pexip/plugin-api 22, and built against 19.3.2 and 21.0.0 as
 * bv-webapp3-19 / bv-webapp3-21, build.mjs): does what public Webapp3 plugins do,
 * each thing the host must allow as Webapp3 does (docs/interfaces.md "Plugin host contract"):
 *
 * - touches localStorage before it registers (a counter that survives a reload);
 * - draws one group item per participant from the deprecated `participants` event;
 * - a toolbar button with no tooltip and Pexip's named icons, whose group has a log-in item
 *   with `opensPopup` (the popup reports back through `window.opener`), a "record" item
 *   (the microphone: allowed only when the party granted it) and a "message text" item
 *   (`sendRequest` set_message_text / get_message_text, as pexip/plugin-message-overlay);
 * - notes every `languageSelect` (19.x has no such event: it notes that instead).
 */
import { type Button, type InfinityParticipant, registerPlugin } from '@pexip/plugin-api';

import { click, note, phase, record, reply } from '../../shared/record';

record.who = __PLUGIN_ID__.replace(/^bv-/, ''); // webapp3, webapp3-19, webapp3-21
const loads = `${__PLUGIN_ID__}-loads`;

// Before registering, as many public plugins do at load (settings, i18n caches).
try {
  const before = window.localStorage.getItem(loads);
  window.localStorage.setItem(loads, String(Number(before ?? '0') + 1));
  note('storage', { before, after: window.localStorage.getItem(loads) });
} catch (error) {
  note('storage', { error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
}

window.addEventListener('message', (event) => {
  const data = event.data as { kind?: unknown } | null;
  if (data?.kind === 'bv-popup-result') note('popup-result', data);
});

const plugin = await registerPlugin({ id: __PLUGIN_ID__, version: 0 });
record.registered = true;
phase('registered');

// Optional: plugin-api 19.x has no languageSelect event (its dist/index.js `events`).
const languageSelect = (plugin.events as Partial<typeof plugin.events>).languageSelect;
if (languageSelect) languageSelect.add((language) => note('languageSelect', language));
else note('languageSelect-unsupported', true);

// One group item per participant, redrawn from each `participants` event (in order).
let perParticipant: Button<'toolbar'> | null = null;
let drawing: Promise<unknown> = Promise.resolve();
plugin.events.participants.add(({ participants }) => {
  const list = participants as InfinityParticipant[];
  note('participants', list.map((p) => p.displayName));
  const payload = {
    position: 'toolbar' as const,
    icon: 'IconGroup',
    tooltip: 'Deltagere',
    group: list.map((p) => ({ id: `p-${p.uuid}`, icon: 'IconParticipant', tooltip: `Ring til ${p.displayName}` })),
  };
  drawing = drawing.then(async () => {
    if (perParticipant) await perParticipant.update(payload);
    else perParticipant = await plugin.ui.addButton(payload);
  });
});

const recordAudio = async (): Promise<void> => {
  try {
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    const recorder = new MediaRecorder(stream);
    const chunks: Blob[] = [];
    recorder.ondataavailable = (event) => chunks.push(event.data);
    const stopped = new Promise((resolve) => (recorder.onstop = resolve));
    recorder.start();
    await new Promise((resolve) => setTimeout(resolve, 700));
    recorder.stop();
    await stopped;
    for (const track of stream.getTracks()) track.stop();
    note('recording', { bytes: chunks.reduce((sum, chunk) => sum + chunk.size, 0) });
  } catch (error) {
    note('recording', { error: error instanceof Error ? error.name : String(error) });
  }
};

const messageText = async (): Promise<void> => {
  const conference = plugin.conference as unknown as { sendRequest: (p: unknown) => Promise<unknown> };
  await conference.sendRequest({ method: 'POST', path: 'set_message_text', payload: { text: 'Tolken kommer om lidt' } });
  const read = (await conference.sendRequest({ method: 'GET', path: 'get_message_text' })) as {
    data: { result: { text: string } };
  };
  note('message-text', read.data.result.text);
};

// The type wants a tooltip; Webapp3 does not (plugins ship without one).
const tools = await plugin.ui.addButton({
  position: 'toolbar',
  icon: 'IconSupport',
  group: [
    {
      id: 'login',
      icon: 'IconLock',
      tooltip: 'Log ind',
      opensPopup: { id: 'login', openParams: ['popup.html', '', 'width=420,height=320'] },
    },
    { id: 'record', icon: 'IconMicrophoneOn', tooltip: 'Optag lyd' },
    { id: 'overlay', icon: 'IconTranscript', tooltip: 'Beskedtekst' },
  ],
} as unknown as Parameters<typeof plugin.ui.addButton>[0]);
reply('tools', 'added');
tools.onClick.add((input) => {
  const item = (input as { buttonId?: string } | undefined)?.buttonId ?? '';
  click(item, input);
  if (item === 'record') void recordAudio();
  if (item === 'overlay') void messageText().catch((error) => note('message-text', { error: String(error) }));
});
phase('ready');
