import type { Role } from '@/config/app-config';

/** What the node has said about the conference and our place in it. */
export interface RoomState {
  /** `waiting_room` while a locked conference holds us; null until the node says. */
  serviceType: string | null;
  /** A host has joined; null until the node's first conference status. */
  started: boolean | null;
  locked: boolean;
}

export type RoomAction =
  { type: 'service-type'; serviceType: string } | { type: 'conference-status'; started: boolean; locked: boolean };

export const initialRoomState: RoomState = { serviceType: null, started: null, locked: false };

export const roomReducer = (state: RoomState, action: RoomAction): RoomState => {
  switch (action.type) {
    case 'service-type':
      return { ...state, serviceType: action.serviceType };
    case 'conference-status':
      return { ...state, started: action.started, locked: action.locked };
  }
};

/** Why a guest is held in the lobby: no host yet, or a locked meeting not yet let in. */
export type WaitReason = 'host' | 'admission';

/** Hosts are never held; a guest is, until the node says the meeting started and let it in. */
export const waitReasonOf = (role: Role, room: RoomState): WaitReason | null => {
  if (role === 'host') return null;
  if (room.serviceType === 'waiting_room') return 'admission';
  return room.started === true ? null : 'host';
};
