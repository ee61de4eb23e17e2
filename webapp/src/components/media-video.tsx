import { useEffect, useRef, useState } from 'react';

export interface MediaVideoProps {
  stream: MediaStream | null;
  testId: string;
  /** Own camera: always muted (no echo) and mirrored. */
  self?: boolean;
  className?: string;
  label: string;
}

/**
 * A <video> playing a MediaStream. If the browser refuses to autoplay with
 * sound, it plays muted and offers a button to turn the sound on.
 */
export const MediaVideo = ({ stream, testId, self = false, className, label }: MediaVideoProps) => {
  const ref = useRef<HTMLVideoElement>(null);
  const [needsSoundTap, setNeedsSoundTap] = useState(false);

  useEffect(() => {
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
    void video.play().then(() => setNeedsSoundTap(false)).catch(() => undefined);
  };

  return (
    <div className={['media', self ? 'media--self' : 'media--remote', className].filter(Boolean).join(' ')}>
      <video
        ref={ref}
        data-testid={testId}
        aria-label={label}
        autoPlay
        playsInline
        muted={self}
      />
      {needsSoundTap && (
        <button type="button" className="btn btn--primary media__sound" onClick={handleSoundOn}>
          Slå lyd til
        </button>
      )}
    </div>
  );
};
