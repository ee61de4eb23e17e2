/** Initials in a circle: who is there when there is no picture (camera off, no camera). */
const initials = (name: string): string => {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const first = words[0]?.[0] ?? '?';
  const last = words.length > 1 ? (words[words.length - 1]?.[0] ?? '') : '';
  return (first + last).toUpperCase();
};

export const Avatar = ({ name, size = 'large' }: { name: string; size?: 'large' | 'small' }) => (
  <span className={`avatar avatar--${size}`} aria-hidden="true">
    {initials(name)}
  </span>
);
