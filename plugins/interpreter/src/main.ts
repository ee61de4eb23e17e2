/**
 * interpreter: the host dials the party's interpreter service into the meeting
 * (`conference.dialOut`), sees the progress on the button and in toasts, and hangs up with
 * the same button. Destination and protocol come from the party's plugin settings.
 */
import { registerPlugin, type Button, type Participant, type Plugin } from '@pexip/plugin-api';
import { loadSettings, readContext } from '../../shared/context';

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

const LOOK: Record<Phase, { icon: string; tooltip: string; isActive: boolean }> = {
  idle: { icon: 'IconPhone', tooltip: 'Ring til tolk', isActive: false },
  dialling: { icon: 'IconPhoneTalk', tooltip: 'Ringer op til tolk …', isActive: true },
  connected: { icon: 'IconPhoneTalk', tooltip: 'Læg på (tolk)', isActive: true },
  'hanging-up': { icon: 'IconPhoneTalk', tooltip: 'Lægger på …', isActive: true },
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

  constructor(
    private readonly plugin: Plugin,
    private readonly button: Button<'toolbar'>,
    private readonly settings: Settings,
  ) {}

  async click(): Promise<void> {
    if (this.phase === 'idle') await this.dial();
    else if (this.phase === 'connected') await this.hangUp();
  }

  private async show(phase: Phase): Promise<void> {
    this.phase = phase;
    const look = LOOK[phase];
    await this.button.update({ position: 'toolbar', roles: ['chair'], ...look });
  }

  private async toast(message: string, isDanger = false): Promise<void> {
    await this.plugin.ui.showToast({ message, isDanger, timeout: 5000 });
  }

  private async dial(): Promise<void> {
    const { destination, protocol, displayName, callType } = this.settings;
    if (destination.trim() === '') {
      await this.toast('Tolketjenesten er ikke sat op. Bed administratoren om at angive adressen.', true);
      return;
    }
    await this.show('dialling');
    void this.toast('Ringer op til tolken …');
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
        void this.toast('Tolken har forladt mødet.');
      });
      await this.show('connected');
      await this.toast('Tolken er med i mødet.');
    } catch {
      this.participant = null;
      await this.show('idle');
      await this.toast('Tolken kunne ikke ringes op. Prøv igen om lidt.', true);
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
      await this.toast('Der er lagt på til tolken.');
    } catch {
      await this.show('connected');
      await this.toast('Der kunne ikke lægges på. Prøv igen.', true);
    }
  }
}

const main = async (): Promise<void> => {
  const context = readContext(window.location.hash, window.location.origin);
  const plugin = await registerPlugin({ id: PLUGIN_ID, version: 0 });
  const settings = await loadSettings(context, PLUGIN_ID, DEFAULTS);
  const button = await plugin.ui.addButton({ position: 'toolbar', roles: ['chair'], ...LOOK.idle });
  const interpreter = new Interpreter(plugin, button, settings);
  button.onClick.add(() => {
    void interpreter.click();
  });
};

void main();
