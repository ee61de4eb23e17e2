import { useEffect, useLayoutEffect, useRef, useState } from 'react';

import { useT } from '@/lib/i18n';

export interface MediaVideoProps {
  stream: MediaStream | null;
  testId: string;
  /** Own camera: always muted (no echo) and mirrored. */
  self?: boolean;
  className?: string;
  label: string;
  /** The speaker to play on (setSinkId); '' or absent: the default. */
  sinkId?: string;
  /** Called once the stream's first frame is there to show. */
  onFirstFrame?: () => void;
}

/**
 * A <video> playing a MediaStream. If the browser refuses to autoplay with
 * sound, it plays muted and offers a button to turn the sound on.
 */
export const MediaVideo = ({
  stream,
  testId,
  self = false,
  className,
  label,
  sinkId,
  onFirstFrame,
}: MediaVideoProps) => {
  const t = useT();
  const ref = useRef<HTMLVideoElement>(null);
  const onFirstFrameRef = useRef(onFirstFrame);
  useEffect(() => {
    onFirstFrameRef.current = onFirstFrame;
  });
  useLayoutEffect(() => {
    const video = ref.current;
    if (!video || !stream) return undefined;
    const shown = () => onFirstFrameRef.current?.();
    if (video.readyState >= HTMLMediaElement.HAVE_CURRENT_DATA) {
      shown();
      return undefined;
    }
    video.addEventListener('loadeddata', shown, { once: true });
    return () => video.removeEventListener('loadeddata', shown);
  }, [stream]);
  useEffect(() => {
    const video = ref.current;
    if (video && sinkId && 'setSinkId' in video) void video.setSinkId(sinkId).catch(() => undefined);
  }, [sinkId]);
  const [needsSoundTap, setNeedsSoundTap] = useState(false);

  // Before the browser paints: the player starts on the stream a frame sooner.
  useLayoutEffect(() => {
    const video = ref.current;
    if (!video) return;
    if (video.srcObject !== stream) video.srcObject = stream;
    if (!stream) return;
    video.play().catch(() => {
      if (self || video.muted) return;
      video.muted = true;
      setNeedsSoundTap(true);
      void video.play().catch(() => undefined);
    });
  }, [stream, self]);

  const handleSoundOn = () => {
    const video = ref.current;
    if (!video) return;
    video.muted = false;
    void video
      .play()
      .then(() => setNeedsSoundTap(false))
      .catch(() => undefined);
  };

  return (
    <div className={['media', self ? 'media--self' : 'media--remote', className].filter(Boolean).join(' ')}>
      <video ref={ref} data-testid={testId} aria-label={label} autoPlay playsInline muted={self} />
      {needsSoundTap && (
        <button type="button" className="btn btn--primary media__sound" onClick={handleSoundOn}>
          {t('media.soundOn')}
        </button>
      )}
    </div>
  );
};
