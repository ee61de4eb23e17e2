/**
 * sms-invite: the host invites one more person during the meeting. A toolbar button opens
 * a form (name, mobile number); the BFF makes a guest link for this meeting and sends it by
 * SMS (POST /api/plugin/v1/invites with the plugin token); a toast tells how it went.
 */
import { registerPlugin, type Button, type Plugin, type ToolbarButtonPayload } from '@pexip/plugin-api';
import { loadSettings, readContext, type PluginContext } from '../../shared/context';
import { type Catalogue, hostLanguage, translator } from '../../shared/i18n';

const PLUGIN_ID = 'sms-invite';

/** `buttonLabel`: the party's own words, in every language; without it, ours. */
interface Settings {
  buttonLabel: string;
  countryCode: string;
}

const DEFAULTS: Settings = { buttonLabel: '', countryCode: '+45' };

type Key =
  | 'button'
  | 'hostOnly'
  | 'sent'
  | 'linkNoSms'
  | 'unknownError'
  | 'tooMany'
  | 'notSent'
  | 'notSentStatus'
  | 'offline'
  | 'title'
  | 'description'
  | 'name'
  | 'namePlaceholder'
  | 'phone'
  | 'submit'
  | 'nameMissing'
  | 'phoneInvalid';

const MESSAGES: Catalogue<Key> = {
  da: {
    button: 'Inviter via SMS',
    hostOnly: 'Invitationen kan kun sendes af mødets vært.',
    sent: 'SMS med link sendt til {{name}}.',
    linkNoSms: "Linket blev lavet, men SMS'en kunne ikke sendes: {{reason}}",
    unknownError: 'ukendt fejl',
    tooMany: 'Der er sendt for mange SMS lige nu. Prøv igen senere.',
    notSent: 'Invitationen blev ikke sendt: {{reason}}',
    notSentStatus: 'Invitationen blev ikke sendt (fejl {{status}}).',
    offline: 'Invitationen blev ikke sendt: ingen forbindelse.',
    title: 'Inviter via SMS',
    description: 'Personen får en SMS med et link, der åbner mødet direkte.',
    name: 'Navn',
    namePlaceholder: 'Fx Jens Hansen',
    phone: 'Mobilnummer',
    submit: 'Send SMS',
    nameMissing: 'Skriv personens navn.',
    phoneInvalid: 'Skriv et gyldigt mobilnummer, fx 12 34 56 78.',
  },
  en: {
    button: 'Invite by text message',
    hostOnly: "Only the meeting's host can send the invitation.",
    sent: 'Text message with the link sent to {{name}}.',
    linkNoSms: 'The link was made, but the text message could not be sent: {{reason}}',
    unknownError: 'unknown error',
    tooMany: 'Too many text messages have been sent right now. Try again later.',
    notSent: 'The invitation was not sent: {{reason}}',
    notSentStatus: 'The invitation was not sent (error {{status}}).',
    offline: 'The invitation was not sent: no connection.',
    title: 'Invite by text message',
    description: 'The person gets a text message with a link that opens the meeting directly.',
    name: 'Name',
    namePlaceholder: 'E.g. Jane Smith',
    phone: 'Mobile number',
    submit: 'Send text message',
    nameMissing: "Type the person's name.",
    phoneInvalid: 'Type a valid mobile number, e.g. 12 34 56 78.',
  },
};
type Translate = ReturnType<typeof translator<Key>>;

/** `12 34 56 78` → `+4512345678` (8 digits get the country code); null when not a number. */
export const normalisePhone = (raw: string, countryCode: string): string | null => {
  const compact = raw.replace(/[\s().-]/g, '');
  const withCode = compact.startsWith('00') ? `+${compact.slice(2)}` : compact;
  const full = /^\d{8}$/.test(withCode) ? `${countryCode}${withCode}` : withCode;
  return /^\+[1-9]\d{7,14}$/.test(full) ? full : null;
};

interface InviteAnswer {
  sms_sent?: boolean;
  sms_error?: string;
  detail?: string;
}

const invite = async (
  t: Translate,
  context: PluginContext,
  displayName: string,
  phone: string,
): Promise<{ ok: boolean; message: string }> => {
  if (context.token === null) {
    return { ok: false, message: t('hostOnly') };
  }
  try {
    const answer = await fetch(`${context.api}/api/plugin/v1/invites`, {
      method: 'POST',
      credentials: 'omit',
      headers: { Authorization: `Bearer ${context.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ display_name: displayName, phone }),
    });
    const body = (await answer.json().catch(() => ({}))) as InviteAnswer;
    if (answer.status === 201 && body.sms_sent) {
      return { ok: true, message: t('sent', { name: displayName }) };
    }
    if (answer.status === 201) {
      return { ok: false, message: t('linkNoSms', { reason: body.sms_error ?? t('unknownError') }) };
    }
    if (answer.status === 429) {
      return { ok: false, message: t('tooMany') };
    }
    const message = body.detail ? t('notSent', { reason: body.detail }) : t('notSentStatus', { status: answer.status });
    return { ok: false, message };
  } catch {
    return { ok: false, message: t('offline') };
  }
};

const askAndInvite = async (
  plugin: Plugin,
  t: Translate,
  context: PluginContext,
  settings: Settings,
): Promise<void> => {
  const input = await plugin.ui.showForm({
    title: t('title'),
    description: t('description'),
    form: {
      elements: {
        name: { name: t('name'), type: 'text', autoComplete: 'name', placeholder: t('namePlaceholder') },
        phone: { name: t('phone'), type: 'tel', autoComplete: 'tel', placeholder: '12 34 56 78' },
      },
      submitBtnTitle: t('submit'),
    },
  });
  const name = String(input.name ?? '').trim();
  const phone = normalisePhone(String(input.phone ?? ''), settings.countryCode);
  if (name === '' || phone === null) {
    await plugin.ui.showToast({
      message: name === '' ? t('nameMissing') : t('phoneInvalid'),
      isDanger: true,
    });
    return;
  }
  const result = await invite(t, context, name, phone);
  await plugin.ui.showToast({ message: result.message, isDanger: !result.ok, timeout: 6000 });
};

const main = async (): Promise<void> => {
  const context = readContext(window.location.hash, window.location.origin);
  const plugin = await registerPlugin({ id: PLUGIN_ID, version: 0 });
  let t = translator(MESSAGES, 'da');
  let settings = DEFAULTS;
  const look = (): ToolbarButtonPayload => ({
    position: 'toolbar',
    icon: 'IconAddSomeone',
    tooltip: settings.buttonLabel || t('button'),
    roles: ['chair'],
  });
  let button: Button<'toolbar'> | null = null;
  const language = hostLanguage(plugin.events, (chosen) => {
    t = translator(MESSAGES, chosen);
    void button?.update(look());
  });
  settings = await loadSettings(context, PLUGIN_ID, DEFAULTS);
  t = translator(MESSAGES, await language);
  const added = await plugin.ui.addButton(look());
  button = added;
  let busy = false;
  added.onClick.add(() => {
    if (busy) return;
    busy = true;
    void askAndInvite(plugin, t, context, settings).finally(() => {
      busy = false;
    });
  });
};

void main();
