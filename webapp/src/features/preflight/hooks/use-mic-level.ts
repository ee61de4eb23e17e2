import { useEffect, useState } from 'react';

import { createLevelThrottle, levelFromRms, rmsOf } from '../mic-level';

/** At most ~10 React renders a second, however fast the screen redraws. */
const REPORT_INTERVAL_MS = 100;
/** Browsers keep an AudioContext suspended until the user touches the page. */
const GESTURES = ['pointerdown', 'keydown'] as const;

type AudioContextClass = typeof AudioContext;

/** Older Safari only has the prefixed constructor. */
export const audioContextClass = (): AudioContextClass | null =>
  window.AudioContext ?? (window as unknown as { webkitAudioContext?: AudioContextClass }).webkitAudioContext ?? null;

export const hasAudio = (stream: MediaStream | null): stream is MediaStream => Boolean(stream?.getAudioTracks().length);

/**
 * The microphone's level (0..100) in `stream`, read with an AnalyserNode on
 * the stream the preflight already has. null when it cannot be measured.
 */
export const useMicLevel = (stream: MediaStream | null): number | null => {
  const [level, setLevel] = useState(0);
  const [failed, setFailed] = useState(false);
  const Context = audioContextClass();

  useEffect(() => {
    if (!hasAudio(stream) || !Context) return;
    let meter: { context: AudioContext; source: MediaStreamAudioSourceNode } | null = null;
    let frame = 0;
    const resume = () => {
      if (meter?.context.state === 'suspended') meter.context.resume().catch(() => undefined);
    };
    // Opened on the first frame: a browser that cannot analyse the audio says so from there.
    const open = () => {
      let analyser: AnalyserNode;
      try {
        const context = new Context();
        meter = { context, source: context.createMediaStreamSource(stream) };
        analyser = context.createAnalyser();
      } catch {
        setFailed(true);
        return;
      }
      analyser.fftSize = 1024;
      meter.source.connect(analyser); // never to the speakers: no echo
      const samples = new Float32Array(analyser.fftSize);
      const report = createLevelThrottle(REPORT_INTERVAL_MS);
      const tick = (now: number) => {
        analyser.getFloatTimeDomainData(samples);
        const reported = report(levelFromRms(rmsOf(samples)), now);
        if (reported !== null) setLevel(reported);
        frame = requestAnimationFrame(tick);
      };
      frame = requestAnimationFrame(tick);
      resume();
    };
    frame = requestAnimationFrame(open);
    for (const gesture of GESTURES) window.addEventListener(gesture, resume, true);

    return () => {
      cancelAnimationFrame(frame);
      for (const gesture of GESTURES) window.removeEventListener(gesture, resume, true);
      meter?.source.disconnect();
      meter?.context.close().catch(() => undefined);
    };
  }, [stream, Context]);

  return failed || !Context || !hasAudio(stream) ? null : level;
};
