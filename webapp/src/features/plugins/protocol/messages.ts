/**
 * The wire format of @pexip/plugin-api (19.x to 22.x): a plugin posts
 * `{chanId, rpc, id, payload}` to its parent; the host answers
 * `{chanId, rpc, replyTo, payload}` and sends events `{chanId, event, payload}`.
 */

export const UI_RPCS = [
  'ui:button:add',
  'ui:button:update',
  'ui:removeElement',
  'ui:form:open',
  'ui:prompt:open',
  'ui:toast:show',
  'ui:widget:add',
  'ui:widget:toggle',
  'ui:plugin:toggle',
  'app:setDisconnectDestination',
] as const;

export const CONFERENCE_RPCS = [
  'conference:dialOut',
  'conference:sendMessage',
  'conference:sendApplicationMessage',
  'conference:lock',
  'conference:muteAllGuests',
  'conference:setBandwidth',
  'conference:setLayout',
  'conference:disconnectAll',
  'conference:requestParticipants',
  'conference:sendRequest',
  'conference:breakout',
  'conference:joinBreakoutRoom',
  'conference:closeBreakouts',
  'conference:closeBreakoutRoom',
  'conference:emptyBreakouts',
  'conference:breakoutMoveParticipants',
  'conference:currentRoomId',
  'participant:transfer',
  'participant:mute',
  'participant:muteVideo',
  'participant:spotlight',
  'participant:admit',
  'participant:raiseHand',
  'participant:setRole',
  'participant:setTextOverlay',
  'participant:sendDTMF',
  'participant:disconnect',
] as const;

export type HandshakeRpc = 'syn' | 'syn:widget';
export type UiRpc = (typeof UI_RPCS)[number];
export type ConferenceRpc = (typeof CONFERENCE_RPCS)[number];
export type RpcName = HandshakeRpc | UiRpc | ConferenceRpc;

const KNOWN: ReadonlySet<string> = new Set<string>(['syn', 'syn:widget', ...UI_RPCS, ...CONFERENCE_RPCS]);
const CONFERENCE: ReadonlySet<string> = new Set<string>(CONFERENCE_RPCS);

export const isConferenceRpc = (rpc: RpcName): rpc is ConferenceRpc => CONFERENCE.has(rpc);

/** An incoming call, checked for shape only (each handler checks its own payload). */
export interface RpcCall {
  chanId: string;
  rpc: RpcName;
  id: string;
  payload: unknown;
}

/** Longest channel or call id we accept ("<plugin id>-<uuid>", "<id>:widget-<uuid>"). */
const MAX_ID = 200;

const isId = (value: unknown): value is string =>
  typeof value === 'string' && value.length > 0 && value.length <= MAX_ID;

/** `data` of a window message, if it is an RPC call we know; anything else is null. */
export const parseRpcCall = (data: unknown): RpcCall | null => {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return null;
  const { chanId, rpc, id } = data as Record<string, unknown>;
  if (!isId(chanId) || !isId(id) || typeof rpc !== 'string' || !KNOWN.has(rpc)) return null;
  if (!('payload' in data) && rpc !== 'conference:currentRoomId') return null;
  return { chanId, rpc: rpc as RpcName, id, payload: (data as { payload?: unknown }).payload };
};

/** Plugin ids: what a manifest may name (and what prefixes a channel id). */
export const PLUGIN_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/** Whether `chanId` is a plugin channel of `pluginId` as registerPlugin makes them. */
export const isPluginChannelOf = (chanId: string, pluginId: string): boolean =>
  chanId.startsWith(`${pluginId}-`) && chanId.length > pluginId.length + 1 && !chanId.includes(':widget-');

/** Whether `chanId` is a widget channel of `pluginId` as registerWidget makes them. */
export const isWidgetChannelOf = (chanId: string, pluginId: string): boolean =>
  chanId.startsWith(`${pluginId}:widget-`) && chanId.length > pluginId.length + 8;

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
