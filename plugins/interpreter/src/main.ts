/**
 * interpreter: the host dials the party's interpreter service into the meeting
 * (`conference.dialOut`), sees the progress on the button and in toasts, and hangs up with
 * the same button. Destination and protocol come from the party's plugin settings.
 */
import { registerPlugin, type Button, type Participant, type Plugin } from '@pexip/plugin-api';
import { loadSettings, readContext } from '../../shared/context';
import { type Catalogue, hostLanguage, translator } from '../../shared/i18n';

const PLUGIN_ID = 'interpreter';
const DIAL_TIMEOUT_MS = 60_000;

interface Settings {
  destination: string;
  protocol: 'sip' | 'h323' | 'mssip' | 'auto';
  displayName: string;
  callType: 'video' | 'audio';
}

const DEFAULTS: Settings = { destination: '', protocol: 'sip', displayName: 'Tolk', callType: 'video' };

type Phase = 'idle' | 'dialling' | 'connected' | 'hanging-up';

type Key = Phase | 'notSetUp' | 'calling' | 'left' | 'joined' | 'failed' | 'hungUp' | 'hangUpFailed';

const MESSAGES: Catalogue<Key> = {
  da: {
    idle: 'Ring til tolk',
    dialling: 'Ringer op til tolk …',
    connected: 'Læg på (tolk)',
    'hanging-up': 'Lægger på …',
    notSetUp: 'Tolketjenesten er ikke sat op. Bed administratoren om at angive adressen.',
    calling: 'Ringer op til tolken …',
    left: 'Tolken har forladt mødet.',
    joined: 'Tolken er med i mødet.',
    failed: 'Tolken kunne ikke ringes op. Prøv igen om lidt.',
    hungUp: 'Der er lagt på til tolken.',
    hangUpFailed: 'Der kunne ikke lægges på. Prøv igen.',
  },
  en: {
    idle: 'Call an interpreter',
    dialling: 'Calling the interpreter …',
    connected: 'Hang up (interpreter)',
    'hanging-up': 'Hanging up …',
    notSetUp: 'The interpreter service is not set up. Ask the administrator to give its address.',
    calling: 'Calling the interpreter …',
    left: 'The interpreter has left the meeting.',
    joined: 'The interpreter is in the meeting.',
    failed: 'The interpreter could not be called. Try again shortly.',
    hungUp: 'The interpreter has been hung up.',
    hangUpFailed: 'Could not hang up. Try again.',
  },
};

const LOOK: Record<Phase, { icon: string; isActive: boolean }> = {
  idle: { icon: 'IconPhone', isActive: false },
  dialling: { icon: 'IconPhoneTalk', isActive: true },
  connected: { icon: 'IconPhoneTalk', isActive: true },
  'hanging-up': { icon: 'IconPhoneTalk', isActive: true },
};

const withTimeout = <T>(promise: Promise<T>, ms: number): Promise<T> =>
  new Promise<T>((resolve, reject) => {
    const timer = window.setTimeout(() => reject(new Error('timeout')), ms);
    promise.then(
      (value) => {
        window.clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        window.clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });

class Interpreter {
  private phase: Phase = 'idle';
  private participant: Participant | null = null;
  private t = translator(MESSAGES, 'da');

  constructor(
    private readonly plugin: Plugin,
    private readonly button: Button<'toolbar'>,
    private readonly settings: Settings,
  ) {}

  /** The person's language changed: the button and the toasts from now on speak it. */
  async speak(language: 'da' | 'en'): Promise<void> {
    this.t = translator(MESSAGES, language);
    await this.show(this.phase);
  }

  async click(): Promise<void> {
    if (this.phase === 'idle') await this.dial();
    else if (this.phase === 'connected') await this.hangUp();
  }

  private async show(phase: Phase): Promise<void> {
    this.phase = phase;
    await this.button.update({ position: 'toolbar', roles: ['chair'], ...LOOK[phase], tooltip: this.t(phase) });
  }

  private async toast(message: string, isDanger = false): Promise<void> {
    await this.plugin.ui.showToast({ message, isDanger, timeout: 5000 });
  }

  private async dial(): Promise<void> {
    const { destination, protocol, displayName, callType } = this.settings;
    if (destination.trim() === '') {
      await this.toast(this.t('notSetUp'), true);
      return;
    }
    await this.show('dialling');
    void this.toast(this.t('calling'));
    try {
      const participant = await withTimeout(
        this.plugin.conference.dialOut({
          role: 'GUEST',
          destination,
          protocol,
          remote_display_name: displayName,
          call_type: callType,
        }),
        DIAL_TIMEOUT_MS,
      );
      this.participant = participant;
      participant.onDisconnect.add(() => {
        this.participant = null;
        void this.show('idle');
        void this.toast(this.t('left'));
      });
      await this.show('connected');
      await this.toast(this.t('joined'));
    } catch {
      this.participant = null;
      await this.show('idle');
      await this.toast(this.t('failed'), true);
    }
  }

  private async hangUp(): Promise<void> {
    const participant = this.participant;
    if (participant === null) return;
    await this.show('hanging-up');
    try {
      // The plugin API forgets the participant before it asks: onDisconnect does not fire
      // for our own hang-up, so the button goes back here.
      await participant.disconnect();
      this.participant = null;
      await this.show('idle');
      await this.toast(this.t('hungUp'));
    } catch {
      await this.show('connected');
      await this.toast(this.t('hangUpFailed'), true);
    }
  }
}

const main = async (): Promise<void> => {
  const context = readContext(window.location.hash, window.location.origin);
  const plugin = await registerPlugin({ id: PLUGIN_ID, version: 0 });
  let interpreter: Interpreter | null = null;
  const language = hostLanguage(plugin.events, (chosen) => void interpreter?.speak(chosen));
  const settings = await loadSettings(context, PLUGIN_ID, DEFAULTS);
  const first = await language;
  const tooltip = translator(MESSAGES, first)('idle');
  const button = await plugin.ui.addButton({ position: 'toolbar', roles: ['chair'], ...LOOK.idle, tooltip });
  interpreter = new Interpreter(plugin, button, settings);
  void interpreter.speak(first);
  button.onClick.add(() => {
    void interpreter.click();
  });
};

void main();
