import { type ComponentType, createContext, type ReactNode, useContext } from 'react';

import type { Role } from '@/config/app-config';

import type { InfinitySession } from './infinity';

/**
 * Where plugins attach to the app's views, and how the app tells them about the call.
 * The app provides it (only when the party has plugins for this page, so nobody else
 * downloads the plugin host); views render the slots and know nothing of plugins.
 */
export interface PluginSlots {
  /** Plugin buttons beside the call controls (inside the controls toolbar). */
  Toolbar: ComponentType;
  /** A participant's plugin actions in the participant list. */
  ParticipantActions: ComponentType<{ participantUuid: string; participantName: string }>;
  /** The settings menu (a menu button); renders nothing when no plugin put anything in it. */
  SettingsMenu: ComponentType;
  /** Plugin side panels and floating widgets, in the call view. */
  CallWidgets: ComponentType;
  /** Forms, prompts and toasts, once for the page. */
  Overlays: ComponentType;
  /** The call plugins act on and hear about; returns the detach. */
  attachCall: (session: InfinitySession) => () => void;
  /** In the meeting or not, and as whom (for `roles` and `inMeetingOnly`). */
  setCallState: (inMeeting: boolean, role: Role | undefined) => void;
  /** The person pressed "Forlad mødet". */
  userInitiatedDisconnect: () => void;
  /** Where a plugin asked to send the person after the meeting (http/https), or null. */
  disconnectDestination: () => string | null;
}

const PluginSlotsContext = createContext<PluginSlots | null>(null);

export const PluginSlotsProvider = ({ slots, children }: { slots: PluginSlots | null; children: ReactNode }) => (
  <PluginSlotsContext.Provider value={slots}>{children}</PluginSlotsContext.Provider>
);

/** The plugin slots, or null when this page runs no plugins. */
export const usePluginSlots = (): PluginSlots | null => useContext(PluginSlotsContext);
