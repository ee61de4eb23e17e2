/**
 * sms-invite: the host invites one more person during the meeting. A toolbar button opens
 * a form (name, mobile number); the BFF makes a guest link for this meeting and sends it by
 * SMS (POST /api/plugin/v1/invites with the plugin token); a toast tells how it went.
 */
import { registerPlugin, type Plugin } from '@pexip/plugin-api';
import { loadSettings, readContext, type PluginContext } from '../../shared/context';

const PLUGIN_ID = 'sms-invite';

interface Settings {
  buttonLabel: string;
  countryCode: string;
}

const DEFAULTS: Settings = { buttonLabel: 'Inviter via SMS', countryCode: '+45' };

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
  context: PluginContext,
  displayName: string,
  phone: string,
): Promise<{ ok: boolean; message: string }> => {
  if (context.token === null) {
    return { ok: false, message: 'Invitationen kan kun sendes af mødets vært.' };
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
      return { ok: true, message: `SMS med link sendt til ${displayName}.` };
    }
    if (answer.status === 201) {
      return { ok: false, message: `Linket blev lavet, men SMS'en kunne ikke sendes: ${body.sms_error ?? 'ukendt fejl'}` };
    }
    if (answer.status === 429) {
      return { ok: false, message: 'Der er sendt for mange SMS lige nu. Prøv igen senere.' };
    }
    return { ok: false, message: `Invitationen blev ikke sendt: ${body.detail ?? `fejl ${answer.status}`}` };
  } catch {
    return { ok: false, message: 'Invitationen blev ikke sendt: ingen forbindelse.' };
  }
};

const askAndInvite = async (plugin: Plugin, context: PluginContext, settings: Settings): Promise<void> => {
  const input = await plugin.ui.showForm({
    title: 'Inviter via SMS',
    description: 'Personen får en SMS med et link, der åbner mødet direkte.',
    form: {
      elements: {
        name: { name: 'Navn', type: 'text', autoComplete: 'name', placeholder: 'Fx Jens Hansen' },
        phone: { name: 'Mobilnummer', type: 'tel', autoComplete: 'tel', placeholder: '12 34 56 78' },
      },
      submitBtnTitle: 'Send SMS',
    },
  });
  const name = String(input.name ?? '').trim();
  const phone = normalisePhone(String(input.phone ?? ''), settings.countryCode);
  if (name === '' || phone === null) {
    await plugin.ui.showToast({
      message: name === '' ? 'Skriv personens navn.' : 'Skriv et gyldigt mobilnummer, fx 12 34 56 78.',
      isDanger: true,
    });
    return;
  }
  const result = await invite(context, name, phone);
  await plugin.ui.showToast({ message: result.message, isDanger: !result.ok, timeout: 6000 });
};

const main = async (): Promise<void> => {
  const context = readContext(window.location.hash, window.location.origin);
  const plugin = await registerPlugin({ id: PLUGIN_ID, version: 0 });
  const settings = await loadSettings(context, PLUGIN_ID, DEFAULTS);
  const button = await plugin.ui.addButton({
    position: 'toolbar',
    icon: 'IconAddSomeone',
    tooltip: settings.buttonLabel,
    roles: ['chair'],
  });
  let busy = false;
  button.onClick.add(() => {
    if (busy) return;
    busy = true;
    void askAndInvite(plugin, context, settings).finally(() => {
      busy = false;
    });
  });
};

void main();
