/**
 * The microphone as the citizen must understand it: muted by herself (the track is
 * off) or muted by the meeting (the node does not pass her sound on: `is_muted`).
 */
export interface MicState {
  selfMuted: boolean;
  /** The node's `is_muted` for me: a host muted me, or the room mutes guests on joining. */
  nodeMuted: boolean;
  /** I asked to be unmuted and the node said no (only a host may). */
  refused: boolean;
  /** I pressed to be heard while the node held me (its unmute is then my own doing). */
  asked: boolean;
  /** The node let me be heard again without my asking: a host unmuted me. */
  unmutedByHost: boolean;
}

export type MicAction = { type: 'toggle' } | { type: 'node'; muted: boolean } | { type: 'refused' };

export const initialMicState: MicState = {
  selfMuted: false,
  nodeMuted: false,
  refused: false,
  asked: false,
  unmutedByHost: false,
};

export const micReducer = (state: MicState, action: MicAction): MicState => {
  switch (action.type) {
    case 'toggle':
      // Muted by the meeting: pressing asks to be heard again (the node decides).
      return state.nodeMuted
        ? { ...state, selfMuted: false, refused: false, asked: true, unmutedByHost: false }
        : { ...state, selfMuted: !state.selfMuted, unmutedByHost: false };
    case 'node': {
      if (action.muted === state.nodeMuted) return state;
      const unmutedByHost = !action.muted && !state.asked;
      return { ...state, nodeMuted: action.muted, refused: action.muted && state.refused, asked: false, unmutedByHost };
    }
    case 'refused':
      return state.nodeMuted ? { ...state, refused: true } : state;
  }
};

/** Nobody hears me: the button must say so whoever muted me. */
export const isMicMuted = (state: MicState): boolean => state.selfMuted || state.nodeMuted;
