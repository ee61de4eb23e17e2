/**
 * The plugin host, loaded only when the page's manifest lists plugins (the app imports this
 * module dynamically): creates the hidden plugin iframes and the slot components the views
 * render.
 */
import './plugins.css';

import type { Role } from '@/config/app-config';
import type { PluginSlots } from '@/lib/plugin-slots';

import { CallWidgets } from './components/widgets';
import { ParticipantActions } from './components/participant-actions';
import { PluginModals } from './components/plugin-modal';
import { SettingsMenu } from './components/settings-menu';
import { Toasts } from './components/toasts';
import { ToolbarButtons } from './components/toolbar-buttons';
import { type ManifestPlugin, PluginHost } from './host/plugin-host';

export interface PluginRuntimeOptions {
  plugins: ManifestPlugin[];
  /** The role the page expects before the node says (the grant's), for settings-menu roles. */
  expectedRole: Role | undefined;
  /** The person's language (lib/i18n) when the page starts. */
  language: string;
}

export interface PluginRuntime {
  slots: PluginSlots;
  /** The person chose another language. */
  setLanguage: (language: string) => void;
  stop: () => void;
}

export const startPluginRuntime = ({ plugins, expectedRole, language }: PluginRuntimeOptions): PluginRuntime => {
  const host = new PluginHost(plugins, window.location.origin, expectedRole, language);
  host.start();
  const slots: PluginSlots = {
    Toolbar: () => <ToolbarButtons host={host} />,
    ParticipantActions: ({ participantUuid, participantName }) => (
      <ParticipantActions host={host} participantUuid={participantUuid} participantName={participantName} />
    ),
    SettingsMenu: () => <SettingsMenu host={host} />,
    CallWidgets: () => <CallWidgets host={host} />,
    Overlays: () => (
      <>
        <PluginModals host={host} />
        <Toasts host={host} />
      </>
    ),
    attachCall: (session) => host.attachCall({ session }),
    setCallState: (inMeeting, role) => host.setCallState(inMeeting, role),
    userInitiatedDisconnect: () => host.userInitiatedDisconnect(),
    disconnectDestination: () => host.disconnectDestination(),
  };
  return { slots, setLanguage: (next) => host.setLanguage(next), stop: () => host.stop() };
};
