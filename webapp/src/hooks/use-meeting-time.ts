import { useDeferredValue, useMemo } from 'react';

import type { MeetingInfo } from '@/config/app-config';
import type { Language } from '@/lib/i18n';
import { type MeetingTime, meetingTime } from '@/lib/meeting-time';

/**
 * The meeting's day and hours, null in the first render and formatted in a deferred one right
 * after. The browser's first date format loads its calendar data, 10–20 ms on this machine and
 * more on a phone; in the first render it would hold back the citizen's self-view by as much.
 */
export const useMeetingTime = (meeting: MeetingInfo, language: Language): MeetingTime | null => {
  const shown = useDeferredValue<MeetingInfo | null>(meeting, null);
  return useMemo(() => (shown ? meetingTime(shown, language) : null), [shown, language]);
};
