/** A phone-like ring made with WebAudio (no sound file): two tones, then a pause, repeated. */
export const startRingTone = (): (() => void) => {
  const AudioContextClass = window.AudioContext;
  if (!AudioContextClass) return () => undefined;
  const audio = new AudioContextClass();
  const ring = () => {
    const start = audio.currentTime;
    for (const [offset, frequency] of [
      [0, 880],
      [0.45, 660],
    ] as const) {
      const oscillator = audio.createOscillator();
      const gain = audio.createGain();
      oscillator.frequency.value = frequency;
      gain.gain.setValueAtTime(0.0001, start + offset);
      gain.gain.exponentialRampToValueAtTime(0.4, start + offset + 0.05);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + offset + 0.4);
      oscillator.connect(gain).connect(audio.destination);
      oscillator.start(start + offset);
      oscillator.stop(start + offset + 0.42);
    }
  };
  void audio.resume().catch(() => undefined);
  ring();
  const timer = window.setInterval(ring, 2000);
  return () => {
    window.clearInterval(timer);
    void audio.close().catch(() => undefined);
  };
};
