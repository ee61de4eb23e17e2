// Test entry for the real browser check: the pinned @pexip/infinity client, unmodified,
// joining a room on the emulator. Bundled with Vite by browser_check.py.
import {
  ClientCallType,
  createCallSignals,
  createInfinityClient,
  createInfinityClientSignals,
} from '@pexip/infinity';

window.bvCheck = async ({ host, alias, pin, name }) => {
  const state = {
    connected: false,
    callConnected: false,
    remoteStream: false,
    pinRequired: null,
    errors: [],
    messages: [],
    participants: [],
    disconnected: null,
  };
  window.bvState = state;
  const signals = createInfinityClientSignals(['onPinRequired', 'onParticipants', 'onError'], {});
  const callSignals = createCallSignals([]);
  signals.onConnected.add(() => { state.connected = true; });
  signals.onPinRequired.add((p) => { state.pinRequired = p; });
  signals.onError.add((e) => { state.errors.push(String(e?.error ?? e)); });
  signals.onDisconnected.add((e) => { state.disconnected = String(e?.error ?? e ?? 'disconnected'); });
  signals.onMessage.add((m) => { state.messages.push({ from: m.displayName, text: m.message }); });
  signals.onParticipants.add((ev) => {
    const list = Array.isArray(ev) ? ev : ev.participants;
    state.participants = list.map((p) => p.displayName);
  });
  // Joins after the initial sync arrive here (batched: an array of events).
  signals.onParticipantJoined.add((ev) => {
    for (const e of Array.isArray(ev) ? ev : [ev]) {
      if (!state.participants.includes(e.participant.displayName)) {
        state.participants.push(e.participant.displayName);
      }
    }
  });
  callSignals.onCallConnected.add(() => { state.callConnected = true; });
  callSignals.onRemoteStream.add((stream) => {
    state.remoteStream = true;
    const video = document.getElementById('remote');
    video.srcObject = stream;
    void video.play();
  });
  const mediaStream = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
  const infinity = createInfinityClient(signals, callSignals);
  window.bvInfinity = infinity;
  // As an app would: on page close the client releases its token with sendBeacon.
  window.addEventListener('pagehide', () => { void infinity.disconnect({ reason: 'Browser closed' }); });
  const res = await infinity.call({
    conferenceAlias: alias,
    displayName: name,
    bandwidth: 1024,
    mediaStream,
    callType: ClientCallType.AudioVideo,
    host,
    pin,
  });
  state.tokenStatus = res?.status ?? null;
  return res?.status ?? null;
};

window.bvSend = (text) => window.bvInfinity.sendMessage({ payload: text });
window.bvLeave = () => window.bvInfinity.disconnect({ reason: 'User initiated disconnect' });

// Host controls as the webapp would use them; each result is the HTTP status or the error.
window.bvControls = async (guestUuid) => {
  const results = {};
  const i = window.bvInfinity;
  const run = async (name, fn) => {
    try {
      const res = await fn();
      results[name] = res?.status ?? 'no response';
    } catch (e) {
      results[name] = `error: ${e}`;
    }
  };
  await run('lock', () => i.lock({ lock: true }));
  await run('unlock', () => i.lock({ lock: false }));
  await run('muteAllGuests', () => i.muteAllGuests({ mute: true }));
  await run('unmuteAllGuests', () => i.muteAllGuests({ mute: false }));
  await run('muteGuest', () => i.mute({ mute: true, participantUuid: guestUuid }));
  await run('unmuteGuest', () => i.mute({ mute: false, participantUuid: guestUuid }));
  await run('clientMute', () => i.clientMute({ mute: true }));
  await run('muteVideo', () => i.muteVideo({ muteVideo: true }));
  await run('unmuteVideo', () => i.muteVideo({ muteVideo: false }));
  await run('raiseHand', () => i.raiseHand({ raise: true }));
  await run('requestParticipants', () => i.requestParticipants({}));
  await run('guestsCanUnmute', () => i.guestsCanUnmute({ setting: true }));
  return results;
};
window.bvDisconnectAll = () => window.bvInfinity.disconnectAll({});
