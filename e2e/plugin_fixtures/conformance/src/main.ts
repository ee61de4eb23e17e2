/**
 * The conformance plugin: uses every RPC of @pexip/plugin-api 22 and records every event and
 * every reply (see ../../shared/record.ts). The test drives it through the host's own UI:
 *
 * - on load: a settings-menu entry (any time) and one for in the meeting only;
 * - once in the meeting, as host: toolbar buttons (badge, roles, a group with a custom SVG
 *   icon), a participant action, a toast, a side panel and a floating widget; an invalid
 *   icon and a bad disconnect destination, which must fail;
 * - "Konformitet" (toolbar) → a form with every element type, then a prompt;
 * - group item "Kør RPC-kald" → every conference and participant RPC, in order;
 * - group item "Afslut for alle" → conference:disconnectAll.
 * As guest it only listens (and shows its guest-only button).
 */
import { type InfinityParticipant, type Plugin, registerPlugin } from '@pexip/plugin-api';

import { click, note, phase, rawRpc, record, reply, step, watchChannel } from '../../shared/record';

const PLUGIN_ID = 'bv-conformance';

/** A custom icon with things a sanitiser must remove. */
const HOSTILE_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" onload="parent.document.title=\'pwned\'">' +
  '<script>parent.document.title="pwned"</script><circle cx="12" cy="12" r="9" fill="currentColor"/>' +
  '<a href="javascript:alert(1)"><rect width="4" height="4"/></a></svg>';
const HOVER_SVG = '<svg viewBox="0 0 24 24"><rect x="4" y="4" width="16" height="16" fill="currentColor"/></svg>';

const fragment = new URLSearchParams(window.location.hash.slice(1));

record.who = 'conformance';
watchChannel();
// The plugin API forgets a dialled participant it hung up itself before the host's
// `participant:disconnected` comes: seen here on the wire.
window.addEventListener('message', (event) => {
  const data = event.data as { event?: unknown; payload?: unknown } | null;
  if (data?.event === 'participant:disconnected') note('wire:participant:disconnected', data.payload);
});

const withTimeout = <T>(promise: Promise<T>, ms: number): Promise<T> =>
  Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`timeout ${ms} ms`)), ms))]);

const listen = (plugin: Plugin): void => {
  for (const [name, signal] of Object.entries(plugin.events)) {
    (signal as { add: (observer: (payload: unknown) => void) => void }).add((payload) => note(name, payload));
  }
};

let me: InfinityParticipant | null = null;
const participants = new Map<string, InfinityParticipant>();

const trackParticipants = (plugin: Plugin): void => {
  plugin.events.me.add(({ participant }) => {
    me = participant;
  });
  plugin.events.participants.add(({ participants: list }) => {
    for (const participant of list) participants.set(participant.uuid, participant);
  });
  plugin.events.participantJoined.add(({ participant }) => {
    participants.set(participant.uuid, participant);
  });
  plugin.events.participantLeft.add(({ participant }) => {
    participants.delete(participant.uuid);
  });
};

const openFormThenPrompt = async (plugin: Plugin): Promise<void> => {
  const form = await plugin.ui.addForm({
    title: 'Konformitetsformular',
    description: 'Alle felttyper',
    form: {
      elements: {
        age: { name: 'Alder', type: 'number' },
        name: { name: 'Navn', type: 'text', value: 'Karen', autoComplete: 'name' },
        secret: { name: 'Kode', type: 'password', isOptional: true },
        mail: { name: 'E-mail', type: 'email', isOptional: true },
        phone: { name: 'Telefon', type: 'tel', placeholder: '+45 12 34 56 78' },
        site: { name: 'Hjemmeside', type: 'url', isOptional: true },
        note: { name: 'Bemærkning', type: 'textarea', isOptional: true },
        lang: {
          name: 'Sprog',
          type: 'select',
          options: [
            { id: 'da', label: 'Dansk' },
            { id: 'en', label: 'Engelsk' },
          ],
          selected: 'da',
        },
        topics: {
          name: 'Emner',
          type: 'checklist',
          options: [
            { id: 'a', label: 'Medicin', checked: true },
            { id: 'b', label: 'Ernæring' },
          ],
        },
        answer: {
          name: 'Samtykke',
          type: 'radio',
          groupName: 'answer',
          options: [
            { id: 'yes', label: 'Ja', value: 'ja' },
            { id: 'no', label: 'Nej', value: 'nej' },
          ],
          checked: 'nej',
        },
        rating: { name: 'Tilfredshed', type: 'range', min: 0, max: 10, step: 1, selectedValue: 5 },
      },
      submitBtnTitle: 'Send formular',
    },
  });
  reply('ui:form:open', 'ok');
  form.onInput.add((input) => {
    note('form-input', input);
    void step('ui:removeElement:form', () => form.remove()).then(async () => {
      const answer = await plugin.ui.showPrompt({
        title: 'Konformitetsspørgsmål',
        description: 'Vælg en knap',
        prompt: { primaryAction: 'Fortsæt', secondaryAction: 'Annullér' },
      });
      note('prompt-input', answer);
    });
  });
};

const runRpcs = async (plugin: Plugin): Promise<void> => {
  phase('rpc-running');
  const { conference } = plugin;
  const self = me?.uuid;
  const guest = [...participants.values()].find((p) => p.role === 'guest' && p.uuid !== self)?.uuid;
  if (!self || !guest) {
    record.errors.push(`need me and a guest (me ${String(self)}, guest ${String(guest)})`);
  }
  const theirs = (guest ?? self) as NonNullable<typeof self>;
  await step('conference:currentRoomId', () => conference.getCurrentRoomId());
  await step('conference:requestParticipants', () => conference.requestParticipants({}));
  await step('conference:sendMessage', () => conference.sendMessage({ payload: 'Hej fra plugin' }));
  await step('conference:sendMessage:direct', () => conference.sendMessage({ payload: 'Kun til dig', participantUuid: theirs }));
  await step('conference:sendApplicationMessage', () =>
    conference.sendApplicationMessage({ payload: { kind: 'konformitet', n: 1 } }),
  );
  await step('conference:lock', () => conference.lock({ lock: true }));
  await step('conference:lock:off', () => conference.lock({ lock: false }));
  await step('conference:muteAllGuests', () => conference.muteAllGuests({ mute: true }));
  await step('conference:muteAllGuests:off', () => conference.muteAllGuests({ mute: false }));
  await step('conference:setBandwidth', () => conference.setBandwidth(1024));
  await step('conference:setLayout', () => conference.setLayout({ transforms: { layout: '1:7' } }));
  await step('conference:sendRequest', () => rawRpc('conference:sendRequest', { path: 'conference_status', method: 'GET' }));
  await step('participant:mute', () => conference.mute({ mute: true, participantUuid: theirs }));
  await step('participant:mute:off', () => conference.mute({ mute: false, participantUuid: theirs }));
  await step('participant:muteVideo', () => conference.muteVideo({ muteVideo: true, participantUuid: theirs }));
  await step('participant:spotlight', () => conference.spotlight({ enable: true, participantUuid: theirs }));
  await step('participant:raiseHand', () => conference.raiseHand({ raise: true, participantUuid: theirs }));
  await step('participant:raiseHand:off', () => conference.raiseHand({ raise: false, participantUuid: theirs }));
  await step('participant:setTextOverlay', () => conference.setTextOverlay({ text: 'Borger', participantUuid: theirs }));
  await step('participant:sendDTMF', () => conference.sendDTMF({ digits: '1234', participantUuid: theirs }));
  const dialled = await step('conference:dialOut', () =>
    withTimeout(
      conference.dialOut({ destination: 'sip:tolk@tolk.example', role: 'GUEST', protocol: 'sip', remote_display_name: 'Tolk' }),
      15_000,
    ),
  );
  if (dialled) {
    await step('participant:admit', () => conference.admit({ participantUuid: dialled.uuid }));
    await step('participant:setRole', () => conference.setRole({ role: 'chair', participantUuid: dialled.uuid }));
    await step('participant:transfer', () =>
      conference.transfer({ destination: 'andet-mode@vdx.localhost', pin: '', role: 'guest', participantUuid: dialled.uuid }),
    );
    await step('participant:disconnect', () => dialled.disconnect());
  }
  await step('conference:breakout', () => conference.breakout({ name: 'Gruppe 1', participants: { main: [] } }));
  await step('conference:breakoutMoveParticipants', () =>
    conference.breakoutMoveParticipants({ toRoomUuid: 'main', participants: [] }),
  );
  await step('conference:closeBreakoutRoom', () => conference.closeBreakoutRoom({ breakoutUuid: 'main' }));
  await step('conference:emptyBreakouts', () => conference.emptyBreakouts());
  await step('conference:closeBreakouts', () => conference.closeBreakouts());
  const destination = new URL('/healthz', fragment.get('bv-api') ?? window.location.href).href;
  await step('app:setDisconnectDestination', () => plugin.app.setDisconnectDestination({ url: destination }));
  // Last: moving "back to the main room" restarts the media call (same token, same seat).
  await step('conference:joinBreakoutRoom', () => conference.joinBreakoutRoom({}));
  phase('rpc-done');
};

const setUpMeetingUi = async (plugin: Plugin, role: string): Promise<void> => {
  const guestOnly = await step('ui:button:add:guest-only', () =>
    plugin.ui.addButton({ position: 'toolbar', icon: 'IconStar', tooltip: 'Kun gæster', roles: ['guest'] }),
  );
  guestOnly?.onClick.add((input) => click('guest-only', input));
  if (role !== 'chair') {
    phase('guest-ready');
    return;
  }
  const main = await step('ui:button:add', () =>
    plugin.ui.addButton({ position: 'toolbar', icon: 'IconSupport', tooltip: 'Konformitet', roles: ['chair'], badge: { isVisible: true } }),
  );
  main?.onClick.add((input) => {
    click('toolbar', input);
    void step('ui:button:update', () =>
      main.update({ position: 'toolbar', icon: 'IconChat', tooltip: 'Konformitet', roles: ['chair'], isActive: true, badge: { isVisible: false } }),
    );
    void openFormThenPrompt(plugin);
  });
  const group = await step('ui:button:add:group', () =>
    plugin.ui.addButton({
      position: 'toolbar',
      icon: { custom: { main: HOSTILE_SVG, hover: HOVER_SVG } },
      tooltip: 'Gruppe',
      group: [
        { id: 'g-rpc', icon: 'IconPhone', tooltip: 'Kør RPC-kald' },
        { id: 'g-end', icon: 'IconLeave', tooltip: 'Afslut for alle', badge: { isVisible: true } },
      ],
    }),
  );
  group?.onClick.add((input) => {
    click('group', input);
    if (input.buttonId === 'g-rpc') void runRpcs(plugin);
    if (input.buttonId === 'g-end') void step('conference:disconnectAll', () => plugin.conference.disconnectAll({}));
  });
  const action = await step('ui:button:add:participant', () =>
    plugin.ui.addButton({ position: 'participantActions', label: 'Konformitet-handling', icon: 'IconInfoRound' }),
  );
  action?.onClick.add((input) => click('participant-action', input));
  const removable = await step('ui:button:add:removable', () =>
    plugin.ui.addButton({ position: 'toolbar', icon: 'IconTrash', tooltip: 'Fjernes igen' }),
  );
  await step('ui:removeElement', () => removable?.remove() ?? Promise.reject(new Error('no button')));
  await step('ui:button:add:bad-icon', () => plugin.ui.addButton({ position: 'toolbar', icon: 'IconDoesNotExist', tooltip: 'x' }));
  await step('ui:toast:show', () => plugin.ui.showToast({ message: 'Konformitet klar', timeout: 0, canDismiss: true }));
  await step('app:setDisconnectDestination:bad', () => plugin.app.setDisconnectDestination({ url: 'javascript:alert(1)' }));
  const panel = await step('ui:widget:add', () => plugin.ui.addWidget({ type: 'sidePanel', src: 'widget.html#panel', title: 'Konformitet-panel' }));
  if (panel) {
    panel.onLoad.add(() => note('widget-onLoad', panel.id));
    panel.onToggle.add((payload) => note('widget-onToggle', payload));
    await step('ui:widget:toggle', () => panel.toggle());
  }
  const floating = await step('ui:widget:add:floating', () =>
    plugin.ui.addWidget({
      type: 'floating',
      src: 'widget.html#floating',
      title: 'Flydende',
      isVisible: true,
      position: 'bottomLeft',
      draggable: true,
      dimensions: { width: '320px', height: { md: '240px', xs: '200px' } },
      avoidAutoToggle: { headerCloseButton: true },
    }),
  );
  floating?.onToggle.add((payload) => note('floating-onToggle', payload));
  phase('host-ready');
};

const main = async (): Promise<void> => {
  const plugin = await registerPlugin({ id: PLUGIN_ID, version: 1 });
  record.registered = true;
  listen(plugin);
  trackParticipants(plugin);
  const settings = await step('ui:button:add:settings', () =>
    plugin.ui.addButton({ position: 'settingsMenu', label: 'Konformitet-indstilling', inMeetingOnly: false }),
  );
  settings?.onClick.add((input) => click('settings', input));
  const inMeeting = await step('ui:button:add:settings-in-meeting', () =>
    plugin.ui.addButton({ position: 'settingsMenu', label: 'Kun i mødet', inMeetingOnly: true, roles: ['chair'] }),
  );
  inMeeting?.onClick.add((input) => click('settings-in-meeting', input));
  phase('registered');
  let started = false;
  plugin.events.me.add(({ participant }) => {
    if (started) return;
    started = true;
    void setUpMeetingUi(plugin, participant.role);
  });
};

main().catch((error: unknown) => {
  record.registered = error instanceof Error ? error.message : String(error);
  phase('failed');
});
