import type { Role } from '@/config/app-config';

import type { FieldValue, FormSpec } from '../protocol/forms';
import type { SvgNode } from '../protocol/svg';

/** `chair` is Pexip's word for our host. */
export type PluginRole = 'chair' | 'guest';

export const pluginRoleOf = (role: Role): PluginRole => (role === 'host' ? 'chair' : 'guest');

/** A named icon (IconTypes) or a plugin's own SVG, already sanitised. */
export type IconSpec = { name: string } | { custom: { main: SvgNode; hover: SvgNode } };

export interface PopupRequest {
  id: string;
  url: string;
  target: string;
  /** Sizes and positions only (ui-payloads.ts popupFeatures). */
  features: string;
}

interface ButtonBase {
  id: string;
  chanId: string;
  pluginId: string;
  /** Load order of the plugin, then creation order: how the host lists elements. */
  order: number;
  opensPopup?: PopupRequest;
}

export interface GroupItem {
  id: string;
  icon: IconSpec;
  tooltip?: string;
  roles?: PluginRole[];
  isActive?: boolean;
  badge: boolean;
  opensPopup?: PopupRequest;
}

export interface ToolbarButton extends ButtonBase {
  position: 'toolbar';
  icon: IconSpec;
  tooltip?: string;
  roles?: PluginRole[];
  isActive?: boolean;
  badge: boolean;
  group?: GroupItem[];
}

export interface ParticipantActionButton extends ButtonBase {
  position: 'participantActions';
  label: string;
  participantIDs?: string[];
  icon?: IconSpec;
  isActive?: boolean;
}

export interface SettingsMenuButton extends ButtonBase {
  position: 'settingsMenu';
  label: string;
  inMeetingOnly: boolean;
  roles?: PluginRole[];
}

export type PluginButton = ToolbarButton | ParticipantActionButton | SettingsMenuButton;

export interface FormModal {
  kind: 'form';
  id: string;
  chanId: string;
  order: number;
  spec: FormSpec;
  /** Closed by the person; kept until the plugin removes it so its remove() still works. */
  dismissed: boolean;
}

export interface PromptModal {
  kind: 'prompt';
  id: string;
  chanId: string;
  order: number;
  title: string;
  description?: string;
  primaryAction: string;
  secondaryAction?: string;
  dismissed: boolean;
}

export type PluginModal = FormModal | PromptModal;

export type WidgetDimension = string | Partial<Record<string, string>>;

export interface PluginWidget {
  id: string;
  /** The plugin channel that added it (gets onLoad / onToggle). */
  chanId: string;
  pluginId: string;
  order: number;
  src: string;
  title: string;
  type: 'sidePanel' | 'floating';
  draggable: boolean;
  position: 'topLeft' | 'bottomLeft' | 'center' | 'topRight' | 'bottomRight';
  width?: WidgetDimension;
  height?: WidgetDimension;
  visible: boolean;
  /** Header close button only asks the plugin (onToggle with isRequest) instead of closing. */
  closeOnlyOnRequest: boolean;
  sandbox: string[];
  /** The plugin's granted permissions (its iframe's `allow`), '' for none. */
  allow: string;
}

export interface PluginToast {
  id: string;
  message: string;
  isDanger: boolean;
  position: 'topCenter' | 'bottomCenter';
  /** Milliseconds; 0 stays until dismissed. */
  timeout: number;
  canDismiss: boolean;
}

/** Everything the plugins have put on screen, as one immutable snapshot. */
export interface UiState {
  buttons: PluginButton[];
  modals: PluginModal[];
  widgets: PluginWidget[];
  /** The toast on screen, then the queue. */
  toasts: PluginToast[];
  inMeeting: boolean;
  role: Role | undefined;
}

export const emptyUiState = (role: Role | undefined): UiState => ({
  buttons: [],
  modals: [],
  widgets: [],
  toasts: [],
  inMeeting: false,
  role,
});

/** Whether an element restricted to `roles` shows for `role` (no roles: everyone). */
export const visibleFor = (roles: PluginRole[] | undefined, role: Role | undefined): boolean =>
  !roles || (role !== undefined && roles.includes(pluginRoleOf(role)));

export type FormValues = Record<string, FieldValue>;
