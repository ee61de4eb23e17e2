import type { LocalMedia } from '../hooks/use-local-media';

const message = (media: LocalMedia): string | null => {
  const hasVideo = Boolean(media.stream?.getVideoTracks().length);
  const hasAudio = Boolean(media.stream?.getAudioTracks().length);
  const fix = media.denied
    ? 'Du kan give adgang i browserens indstillinger (ofte ved hængelåsen ved adressen) og genindlæse siden.'
    : 'Tjek at kamera og mikrofon er tilsluttet og ikke bruges af et andet program.';
  switch (media.status) {
    case 'none':
      return `Vi kan ikke bruge dit kamera eller din mikrofon. Du kan stadig deltage og se og høre mødet, men de andre kan ikke se eller høre dig. ${fix}`;
    case 'partial':
      if (!hasVideo) return `Vi kan ikke bruge dit kamera. Du kan deltage med lyd, men de andre kan ikke se dig. ${fix}`;
      if (!hasAudio) return `Vi kan ikke bruge din mikrofon. Du kan deltage, men de andre kan ikke høre dig. ${fix}`;
      return null;
    default:
      return null;
  }
};

/** A friendly, specific note when camera or microphone is not available. */
export const MediaNotice = ({ media }: { media: LocalMedia }) => {
  const text = message(media);
  if (!text) return null;
  return (
    <p className="notice" role="status" data-testid="media-notice">
      {text}
    </p>
  );
};
