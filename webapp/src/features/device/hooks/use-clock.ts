import { useEffect, useState } from 'react';

/** The current time, updated every few seconds (enough for a clock showing minutes). */
export const useClock = (): Date => {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(new Date()), 5000);
    return () => window.clearInterval(timer);
  }, []);
  return now;
};
