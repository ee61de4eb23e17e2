/** 21.x's widget (built for the 21.x plugin only: 19.x has no registerWidget). */
import { registerWidget } from '@pexip/plugin-api';

import { note, phase, record } from '../../shared/record';

record.who = `${__PLUGIN_ID__}-widget`;

registerWidget({ parentPluginId: __PLUGIN_ID__ }).then(
  (widget) => {
    record.registered = true;
    for (const [name, signal] of Object.entries(widget.events)) {
      (signal as { add: (observer: (payload: unknown) => void) => void }).add((payload) => note(name, payload));
    }
    phase('registered');
  },
  (error: unknown) => {
    record.registered = error instanceof Error ? error.message : String(error);
    phase('failed');
  },
);
