/**
 * Generated from the BFF's OpenAPI document by webapp/scripts/api-types.mjs: do not edit.
 * After changing the API: npm run api-types --workspace webapp
 */
export interface paths {
  '/api/device/v1/calls/{call_id}/answer': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Answer */
    post: operations['AnswerDeviceCall'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/device/v1/calls/{call_id}/decline': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Decline */
    post: operations['DeclineDeviceCall'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/device/v1/enrol': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Enrol this device with a one-time code and its new public key */
    post: operations['EnrolDevice'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/plugin/v1/invites': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Invite a guest to the caller's meeting by SMS (host plugin token)
     * @description For plugins: Authorization: Bearer <the token from the plugin's src fragment, bv-plugin-token>. Creates a guest link for the session's meeting and sends it by SMS under the party's and the number's SMS limits.
     */
    post: operations['PluginInvite'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/session': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** Leave: this browser's meeting session ends (none: nothing to end) */
    delete: operations['EndSession'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/session/end-meeting': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** End the meeting for everyone (its host) */
    post: operations['EndMeetingForAll'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/session/heartbeat': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** This browser is in the call: the meeting's time */
    post: operations['SessionHeartbeat'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/staff/v1/device-calls': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Ring a device into the host's meeting */
    post: operations['StaffCallDevice'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/staff/v1/device-calls/{call_id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A call the host made: does it still ring? */
    get: operations['StaffGetDeviceCall'];
    put?: never;
    post?: never;
    /** Stop ringing */
    delete: operations['StaffCancelDeviceCall'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/staff/v1/devices': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The party's devices, for the meeting's host to call */
    get: operations['StaffListDevices'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/staff/v1/parties/{party_id}/logout': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Log out */
    post: operations['StaffLogout'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/staff/v1/parties/{party_id}/meetings': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The meetings of a day */
    get: operations['StaffListMeetings'];
    put?: never;
    /** Book a meeting and send the guests' links */
    post: operations['StaffBookMeeting'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/staff/v1/parties/{party_id}/meetings/{meeting_id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** Cancel a meeting (hers, or any for a scheduler) */
    delete: operations['StaffCancel'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/staff/v1/parties/{party_id}/meetings/{meeting_id}/host': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Open a meeting as its host (hers, or any for a scheduler) */
    post: operations['StaffHost'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/staff/v1/parties/{party_id}/session': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Who is logged in, and the login's CSRF token
     * @description Any role's login of the party (the portal, the admin pages).
     */
    get: operations['StaffSession'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/device-messages': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Documents the party's devices sent (kept 7 days); also POSTed to the webhook */
    get: operations['ListMessagesFromDevices'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/devices': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The party's devices: online, battery, app version, last seen */
    get: operations['ListDevices'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/devices/{device_id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** GetDevice */
    get: operations['GetDevice'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/devices/{device_id}/messages': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Messages still waiting for the device (not yet acknowledged) */
    get: operations['ListWaitingDeviceMessages'];
    put?: never;
    /**
     * Send a JSON document to a device
     * @description Delivered at once when the device is online, else when it comes back (in order, each exactly once to its app), until `ttl_seconds` runs out. At most 100 wait per device (then 429).
     */
    post: operations['SendDeviceMessage'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/meetings': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Book a meeting and send guest links
     * @description Creates the VDX meeting (host and guest PIN stay in the BFF), one personal join link per guest, and sends the link by SMS where a phone is given. If the SMS fails the meeting stays booked: sms_sent=false, sms_error says why. If VDX fails: 502 and nothing is stored. Limits per party and per phone number answer 429 with Retry-After.
     */
    post: operations['CreateMeeting'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/meetings/{meeting_id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Read a meeting (no PINs) */
    get: operations['GetMeeting'];
    put?: never;
    post?: never;
    /** Cancel: ends the VDX meeting; links and staff launches stop working */
    delete: operations['CancelMeeting'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/meetings/{meeting_id}/device-calls': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Call a device into the meeting: it rings and joins as a guest when answered */
    post: operations['CallDevice'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/meetings/{meeting_id}/device-calls/{call_id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** ringing, answered, declined, no-answer or cancelled */
    get: operations['GetDeviceCall'];
    put?: never;
    post?: never;
    /** Stop a call that still rings */
    delete: operations['CancelDeviceCall'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/parties/{party_id}/branding': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * The party's branding versions and which is active; ETag is the revision
     * @description Version 0 is the party folder's own branding (branding/<party>/).
     */
    get: operations['GetPartyBranding'];
    put?: never;
    /**
     * Upload a Webapp3 branding package (zip); If-Match required
     * @description multipart/form-data, the zip in the field `package`. Checked in full (limits, paths, file types, SVG, CSS, images, the manifest, the palette's contrast); a refusal is 422 naming the file and the problem, and changes nothing. Kept as a new version; active at once unless `activate=false` (then preview it and activate it).
     */
    post: operations['UploadPartyBranding'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/parties/{party_id}/branding/{version}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One version: its manifest as pages render it, its files, notes */
    get: operations['GetPartyBrandingVersion'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/parties/{party_id}/branding/{version}/activate': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Make a kept version (0: the party folder's) the one pages show; If-Match */
    post: operations['ActivatePartyBranding'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/parties/{party_id}/branding/{version}/preview': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * A link that shows this version to the browser opening it (30 minutes)
     * @description Opening `url` sets a preview cookie for the party's pages (not its admin pages) and shows the start page with this version; `errorUrl` an example error page. Nobody else sees it. `/{party}/preview/end` ends it.
     */
    post: operations['PreviewPartyBranding'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/parties/{party_id}/device-enrolments': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * A one-time enrolment code (15 minutes) and its QR code
     * @description Open the device page `/{party}/device` on the tablet and type the code, or scan the QR code (it opens that page with the code). The code works once.
     */
    post: operations['CreateDeviceEnrolment'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/parties/{party_id}/devices': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The party's devices */
    get: operations['AdminListDevices'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/parties/{party_id}/devices/{device_id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** Revoke a device: refused at once on every instance, its connection closed */
    delete: operations['RevokeDevice'];
    options?: never;
    head?: never;
    /**
     * Rename, disable or enable a device
     * @description A disabled device is refused and its connection closed until enabled.
     */
    patch: operations['UpdateDevice'];
    trace?: never;
  };
  '/api/v1/parties/{party_id}/phonebook/audit': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Look-ups by this party's callers and look-ups that found its meetings
     * @description Newest first: when, which caller, who (the system's or person's name), the pseudonym looked up, how many results, whether names were shown.
     */
    get: operations['ReadPhonebookAudit'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/parties/{party_id}/phonebook/policy': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Policy */
    get: operations['GetPhonebookPolicy'];
    /**
     * Which parties' staff may join, move people out of, or dial this party's meetings
     * @description Default: nobody (`join_from`, `move_from` and `dial_from` empty).
     */
    put: operations['SetPhonebookPolicy'];
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/parties/{party_id}/phonebook/systems': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Systems */
    get: operations['ListPhonebookSystems'];
    put?: never;
    /**
     * Register a system that reports presence and/or looks people up
     * @description Answers the system's key once (header X-System-Key); only its sha256 is kept. Limits per minute are counted in Redis for every instance.
     */
    post: operations['RegisterPhonebookSystem'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/parties/{party_id}/phonebook/systems/{system_id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** Remove a system: its key is refused at once */
    delete: operations['RemovePhonebookSystem'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/parties/{party_id}/plugins': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The party's plugin set, with the catalogue; ETag is its version */
    get: operations['GetPartyPlugins'];
    /**
     * Replace the set (its order is the load order); If-Match required
     * @description Body {plugins: [{id, enabled, settings, sandboxValues, roles, allow}], sharedOriginAccepted}. Each plugin's settings are validated against its JSON Schema; 422 names the field. Plugins granted allow-same-origin share one plugin origin (they can read each other's frames and tokens): a second one is 422 unless sharedOriginAccepted is true.
     */
    put: operations['PutPartyPlugins'];
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/parties/{party_id}/plugins/catalogue': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Install a built plugin (a zip holding plugin.json beside its build)
     * @description Body: the zip, Content-Type: application/zip. Checked like a branding package (size, entries, compression ratio, paths, no symlinks, file types) and its plugin.json like the catalogue folder's. Every BFF instance serves it at once (from the plugin origin), no restart; the same id and version again replaces it. Answers the catalogue entry with the id the build registers with, where it is a literal.
     */
    post: operations['InstallPlugin'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/parties/{party_id}/plugins/catalogue/{plugin_id}/{version}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** Remove an installed plugin version no party uses */
    delete: operations['RemovePlugin'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/parties/{party_id}/plugins/history': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Every kept version: who (admin key id) and when */
    get: operations['GetPartyPluginHistory'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/parties/{party_id}/plugins/rollback': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** A new version equal to an earlier one; If-Match required */
    post: operations['RollbackPartyPlugins'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/parties/{party_id}/plugins/versions/{version}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One kept version of the set */
    get: operations['GetPartyPluginVersion'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/parties/{party_id}/stats': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * A party's usage statistics, for its admin page
     * @description KPI 1 (municipalities using video, per month; steering group only), KPI 2 (consultations per party per month), total minutes and median length. A consultation: two or more participants with media, a host among them, together for over 60 seconds; streaming and API-only legs do not count. It belongs to the party of its call tag and to the month (Danish time) it started in; its length is the time two or more took part. JSON, or CSV (one row per month and party) with `Accept: text/csv`. X-Admin-Key: the party's admin key.
     */
    get: operations['GetPartyStatistics'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/phonebook/join': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * A one-time link (60 s) into a result's meeting, for the logged-in staff member
     * @description Staff login only (cookie and X-CSRF-Token). Where the owning party's policy lets the caller's party join, answers a URL that opens the meeting in this browser with a grant of its own (the role the policy gives).
     */
    post: operations['JoinFromPhonebook'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/phonebook/lookup': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Where is this person meeting right now?
     * @description By a registered system with `lookup`, a party's OAuth2 client (scope `phonebook:lookup`) or a staff login. Each result: system, party, meeting alias, since when, role, and a `handle` (5 minutes) for JoinFromPhonebook. Another party's meetings only where its policy shares them. Names (and meeting titles) only in the caller's own party's meetings, of a person its access token's claim `treatment_relation` names (`{kind, id}` or a list); else null. Limited per caller and per person looked up. Every look-up is audited (who, when, the pseudonym, the result count, the basis for names) for the caller's and the owning parties' admins.
     */
    post: operations['LookupPerson'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/phonebook/presence': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    /**
     * Someone is in an ongoing meeting of the calling system
     * @description A registered system (header X-System-Key, registered with `report`) or a party's OAuth2 client (scope `phonebook:report`) says that a person (CPR number or staff id, in the body only) is in the meeting `alias` with a role and a display name. Reporting again replaces the entry (and extends it). The reference is kept only as a keyed pseudonym; name and title only sealed. The entry expires at `ends_at` and goes when the node reports the conference ended.
     */
    put: operations['ReportPresence'];
    post?: never;
    /**
     * Someone left a meeting of the calling system
     * @description The same caller as ReportPresence; `alias` and `person` name the entry. Answers 204 also when there was none.
     */
    delete: operations['RemovePresence'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/plugin-registrations': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * The plugin host reports the id a plugin registered with (its first load)
     * @description For the app's own page: a plugin whose build does not name its id as a literal is checked at its first load. The session's page must load that version; the first report counts. A mismatch with plugin.json's id shows on the admin page and the plugin is not started again.
     */
    post: operations['ReportPluginRegistration'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/stats': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Usage statistics: a party's own, or every party's for the steering group
     * @description KPI 1 (municipalities using video, per month; steering group only), KPI 2 (consultations per party per month), total minutes and median length. A consultation: two or more participants with media, a host among them, together for over 60 seconds; streaming and API-only legs do not count. It belongs to the party of its call tag and to the month (Danish time) it started in; its length is the time two or more took part. JSON, or CSV (one row per month and party) with `Accept: text/csv`. X-API-Key: the party's Meetings API key (its own figures only) or the steering group's key (every party; `party` picks one).
     */
    get: operations['GetStatistics'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/eventsink/{node}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Pexip Infinity event sink
     * @description A conference node posts its event-sink events here (one JSON object per POST, or a JSON array with bulk support), with HTTP Basic credentials of its own. Only what counting needs is kept: no display names, aliases or addresses. The same event twice, events from several nodes and events out of order count the same.
     */
    post: operations['ReceiveEvents'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
}
export type webhooks = Record<string, never>;
export interface components {
  schemas: {
    /** ActionIn */
    ActionIn: {
      /** @description A result's `handle` from LookupPerson (valid 5 minutes) */
      handle: string;
    };
    /** AuditEntry */
    AuditEntry: {
      /** Format: date-time */
      at: string;
      /** @default none */
      basis: string;
      caller: string;
      names_shown: boolean;
      pseudonym: string;
      results: number;
      who: string;
    };
    /** Battery */
    Battery: {
      charging: boolean;
      /** @description Percent */
      level: number;
    };
    /** BrandingState */
    BrandingState: {
      activatedAt: string | null;
      activatedBy: string | null;
      active: number;
      limits: {
        [key: string]: number;
      };
      log: components['schemas']['LogEntry'][];
      revision: number;
      versions: components['schemas']['VersionOut'][];
    };
    /** CatalogueEntryOut */
    CatalogueEntryOut: {
      /** @description The browser permissions it uses */
      allow: string[];
      api: string[];
      defaultRoles: ('host' | 'guest')[];
      defaultSandboxValues: string[];
      description: string;
      id: string;
      /** @description Installed while running (InstallPlugin) */
      installed: boolean;
      installedAt: string | null;
      installedBy: string | null;
      /** @description It registers under another id: it is not started */
      mismatch: boolean;
      /** @description `build` (read from its build), `load` (seen at its first load) */
      registeredFrom: string | null;
      /** @description The id it registers with; null: not known yet */
      registeredId: string | null;
      /** @description Its settings' JSON Schema (its plugin.json) */
      settingsSchema: {
        [key: string]: unknown;
      };
      title: string;
      version: string;
    };
    /** CprRef */
    CprRef: {
      /** @description 10 digits, or DDMMYY-XXXX. Sent in the body only, never in a URL; never stored or logged: the BFF keeps a keyed pseudonym of it. */
      id: string;
      /** @constant */
      kind: 'cpr';
    };
    /** DeviceCallIn */
    DeviceCallIn: {
      device_id: string;
    };
    /** DeviceCallOut */
    DeviceCallOut: {
      /** Format: date-time */
      created_at: string;
      device_id: string;
      id: string;
      meeting_id: string;
      /** Format: date-time */
      rings_until: string;
      /**
       * @description ringing, then answered, declined, no-answer (timeout) or cancelled
       * @enum {string}
       */
      status: 'ringing' | 'answered' | 'declined' | 'no-answer' | 'cancelled';
    };
    /** DeviceOut */
    DeviceOut: {
      app_version?: string | null;
      battery?: components['schemas']['Battery'] | null;
      enabled: boolean;
      /** Format: date-time */
      enrolled_at: string;
      enrolled_by: string;
      id: string;
      label: string;
      last_seen?: string | null;
      /** @description Connected, with a recent heartbeat */
      online: boolean;
    };
    /** DevicePatch */
    DevicePatch: {
      enabled?: boolean;
      /** @description What staff see in the device list; no CPR numbers */
      label?: string;
    };
    /** EcPublicKey */
    EcPublicKey: {
      /** @constant */
      crv: 'P-256';
      /** @constant */
      kty: 'EC';
      x: string;
      y: string;
    };
    /** EnrolIn */
    EnrolIn: {
      code: string;
      party: string;
      /** @description ES256 JWT signed by the new key: aud borgervideo:<party>:enrol, the code in `code`, exp at most 300 s ahead, jti */
      proof: string;
      public_key: components['schemas']['EcPublicKey'];
    };
    /** EnrolmentCreate */
    EnrolmentCreate: {
      /** @description What staff see in the device list; no CPR numbers */
      label: string;
    };
    /** EnrolmentOut */
    EnrolmentOut: {
      /** @description Type it on the device's page, or scan the QR code; works once */
      code: string;
      /** @description The device page with the code */
      enrol_url: string;
      /** Format: date-time */
      expires_at: string;
      /** @description enrol_url as a QR code (inline SVG) */
      qr_svg: string;
    };
    /** EnrolOut */
    EnrolOut: {
      device_id: string;
      label: string;
      party: string;
    };
    /** ErrorBody */
    ErrorBody: {
      /** @description Stable and English, to branch on: invalid-input, unauthenticated, forbidden, not-found, conflict, gone, precondition-failed, unprocessable, too-early, precondition-required, rate-limited, upstream-failed, unavailable */
      code?: string | null;
      /** @description What was wrong, for a developer to act on */
      detail: string;
      /** @description The HTTP status code */
      status: number;
      /** @description The HTTP status's phrase (English) */
      title: string;
      /** @description The kind of problem: `urn:borgervideo:problem:<code>` (stable) */
      type: string;
    };
    /** FileRef */
    FileRef: {
      sha256: string;
      size: number;
      type: string;
    };
    /** FromDevice */
    FromDevice: {
      body: {
        [key: string]: unknown;
      };
      device_id: string;
      /** @description Stream position: pass as `after` to page on */
      id: string;
      /** Format: date-time */
      sent_at: string;
    };
    /** FromDevicePage */
    FromDevicePage: {
      messages: components['schemas']['FromDevice'][];
      /** @description `after` for the next page */
      next: string | null;
    };
    /** GrantOut */
    GrantOut: {
      caller?: string | null;
      conferenceAlias: string;
      displayName: string;
      meeting: components['schemas']['MeetingInfo'];
      /** @constant */
      role: 'guest';
    };
    /** GuestInvite */
    GuestInvite: {
      /** @description Name shown in the call (no CPR number, no control characters) */
      display_name: string;
      /**
       * @description The language of the guest's SMS (invitation, cancellation)
       * @default da
       * @enum {string}
       */
      language: 'da' | 'en';
      /** @description For the dynamic phonebook: the guest's CPR number (or a staff id). Never stored: only a keyed pseudonym, with the link, so that while the guest is in the meeting authorised staff can find them there. */
      person?: components['schemas']['CprRef'] | components['schemas']['StaffRef'] | null;
      /** @description Mobile number as staff type it: `+45 12 34 56 78`, `12345678`, `0045 12345678` (no country code: Danish); normalised to E.164. The link is sent by SMS. Kept only sealed under the meeting's own key, for a cancellation SMS, until the meeting ends or is cancelled. */
      phone?: string | null;
    };
    /** GuestLinkOut */
    GuestLinkOut: {
      display_name: string;
      /** @description Personal join link; opens 30 minutes before start, closes at end */
      link: string;
      /** @description Why the SMS was not sent (the meeting and link stay valid) */
      sms_error?: string | null;
      /** @description True when VDX accepted the SMS */
      sms_sent: boolean;
    };
    /** HistoryEntry */
    HistoryEntry: {
      at: string;
      by: string;
      version: number;
    };
    /** HostOut */
    HostOut: {
      url: string;
    };
    /** JoinOut */
    JoinOut: {
      /** Format: date-time */
      expires_at: string;
      url: string;
    };
    /** LogEntry */
    LogEntry: {
      at: string;
      by: string;
      /** @enum {string} */
      event: 'upload' | 'activate';
      version: number;
    };
    /** LogoutOut */
    LogoutOut: {
      logout_url: string | null;
    };
    /** LookupIn */
    LookupIn: {
      person: components['schemas']['CprRef'] | components['schemas']['StaffRef'];
    };
    /** LookupOut */
    LookupOut: {
      count: number;
      names_shown: boolean;
      results: components['schemas']['LookupResult'][];
    };
    /** LookupResult */
    LookupResult: {
      can_dial: boolean;
      can_join: boolean;
      can_move: boolean;
      display_name: string | null;
      handle: string;
      meeting: components['schemas']['MeetingRef'];
      party: components['schemas']['PartyRef'];
      /** @enum {string} */
      role: 'host' | 'guest';
      /** Format: date-time */
      since: string;
      system: components['schemas']['SystemRef'];
    };
    /** MeetingClock */
    MeetingClock: {
      /** Format: date-time */
      booked_end: string;
      /** Format: date-time */
      end: string;
      /** Format: date-time */
      latest_end: string;
      next_in: number;
    };
    /** MeetingCreate */
    MeetingCreate: {
      /**
       * Format: date-time
       * @description ISO 8601 with a UTC offset, e.g. 2026-12-08T10:45:00+01:00
       */
      end: string;
      /** @description 1 to 10 guests */
      guests: components['schemas']['GuestInvite'][];
      /** @description Who hosts it (e.g. `Sygeplejerske Hanne`): shown to guests while they wait. Optional; else the first staff launch's name. Kept sealed. */
      host_name?: string | null;
      /** @description The hosting staff member's id as the party's login knows her (the OIDC `sub`): the meeting is among her own in the staff portal. Optional; a booking in the portal names the logged-in staff member. Kept as a keyed hash. */
      host_staff_id?: string | null;
      /**
       * Format: date-time
       * @description ISO 8601 with a UTC offset, e.g. 2026-12-08T10:00:00+01:00
       */
      start: string;
      /** @description Short subject; an opaque case reference, never a CPR number */
      subject: string;
      /** @description The team the meeting belongs to (a value of the login's teams claim, e.g. `hjemmepleje-nord`): shown to the team in the staff portal. Optional; a booking in the portal takes the booker's first team. */
      team?: string | null;
    };
    /** MeetingCreated */
    MeetingCreated: {
      /** Format: date-time */
      end: string;
      guests?: components['schemas']['GuestLinkOut'][];
      /** @description Opaque meeting id */
      id: string;
      staff: components['schemas']['StaffLaunch'];
      /** Format: date-time */
      start: string;
      /** @enum {string} */
      status: 'scheduled' | 'cancelled' | 'ended';
      subject: string;
    };
    /** MeetingInfo */
    MeetingInfo: {
      end: string;
      host?: string | null;
      start: string;
      subject: string;
      when: {
        [key: string]: {
          [key: string]: string;
        };
      };
    };
    /** MeetingOut */
    MeetingOut: {
      /** Format: date-time */
      end: string;
      /** @description Opaque meeting id */
      id: string;
      staff: components['schemas']['StaffLaunch'];
      /** Format: date-time */
      start: string;
      /** @enum {string} */
      status: 'scheduled' | 'cancelled' | 'ended';
      subject: string;
    };
    /** MeetingRef */
    MeetingRef: {
      alias: string;
      /** Format: date-time */
      ends_at: string;
      title: string | null;
    };
    /** MessageIn */
    MessageIn: {
      /** @description Any JSON object, at most 16 KiB encoded. The device page shows `text` (and `reply_options`, a list of answers it sends back) */
      body: {
        [key: string]: unknown;
      };
      /**
       * @description How long it waits for an offline device
       * @default 86400
       */
      ttl_seconds: number;
    };
    /** MessageQueued */
    MessageQueued: {
      device_online: boolean;
      /** Format: date-time */
      expires_at: string;
      /** @description Delivery order on the device */
      id: string;
    };
    /** MonthFigures */
    MonthFigures: {
      /** @description Over the parties in scope */
      consultations: number;
      /** @description Median consultation length; null: none */
      median_minutes: number | null;
      month: string;
      /** @description KPI 1: municipalities with at least one consultation that month (steering group only; null for a party's own key) */
      municipalities_using_video: number | null;
      /** @description KPI 2 per party: a party's own key gets its own row every month; the steering group gets every party with consultations that month */
      parties: components['schemas']['PartyMonth'][];
      total_minutes: number;
    };
    /** PartyMonth */
    PartyMonth: {
      consultations: number;
      /** @description municipality, region (or unknown) */
      kind: string;
      median_minutes: number | null;
      name: string;
      party: string;
      total_minutes: number;
    };
    /** PartyPlugin */
    PartyPlugin: {
      allow?: string[];
      enabled: boolean;
      id: string;
      roles: ('host' | 'guest')[];
      sandboxValues: string[];
      settings: {
        [key: string]: unknown;
      };
      version?: string | null;
    };
    /** PartyPluginIn */
    PartyPluginIn: {
      allow?: string[] | null;
      /** @default true */
      enabled: boolean;
      id: string;
      roles?: ('host' | 'guest')[] | null;
      sandboxValues?: string[] | null;
      settings?: {
        [key: string]: unknown;
      };
      version?: string | null;
    };
    /** PartyRef */
    PartyRef: {
      id: string;
      name: string;
    };
    /** PendingMessage */
    PendingMessage: {
      /** Format: date-time */
      expires_at: string;
      id: string;
    };
    /** PluginSetIn */
    PluginSetIn: {
      plugins: components['schemas']['PartyPluginIn'][];
      /** @default false */
      sharedOriginAccepted: boolean;
    };
    /** PluginSetOut */
    PluginSetOut: {
      allowedSandboxValues: string[];
      at: string | null;
      by: string | null;
      catalogue: components['schemas']['CatalogueEntryOut'][];
      plugins: components['schemas']['PartyPlugin'][];
      /** @default false */
      sharedOriginAccepted: boolean;
      version: number;
    };
    /** PolicyIn */
    PolicyIn: {
      /** @description Parties whose staff may dial this party's meetings into their own (the two rooms bridged; `*`: any) */
      dial_from?: string[];
      /** @description Parties whose staff may join this party's meetings (`*`: any) */
      join_from?: string[];
      /**
       * @description The role a joining member of staff gets
       * @default guest
       * @enum {string}
       */
      join_role: 'host' | 'guest';
      /** @description Parties whose callers find this party's meetings in a look-up (alias, role, since; never names or titles). Parties in `join_from`, `move_from` or `dial_from` find them too (`*`: any) */
      lookup_from?: string[];
      /** @description Parties whose staff may move a person out of this party's meetings into their own (`*`: any) */
      move_from?: string[];
    };
    /** PolicyOut */
    PolicyOut: {
      /** @description Parties whose staff may dial this party's meetings into their own (the two rooms bridged; `*`: any) */
      dial_from?: string[];
      /** @description Parties whose staff may join this party's meetings (`*`: any) */
      join_from?: string[];
      /**
       * @description The role a joining member of staff gets
       * @default guest
       * @enum {string}
       */
      join_role: 'host' | 'guest';
      /** @description Parties whose callers find this party's meetings in a look-up (alias, role, since; never names or titles). Parties in `join_from`, `move_from` or `dial_from` find them too (`*`: any) */
      lookup_from?: string[];
      /** @description Parties whose staff may move a person out of this party's meetings into their own (`*`: any) */
      move_from?: string[];
    };
    /** PresenceIn */
    PresenceIn: {
      /** @description The meeting's conference alias on VDX (its `uriWithDomain`) */
      alias: string;
      /** @description The person's name as shown in the meeting (kept only sealed) */
      display_name: string;
      /** @description When the meeting ends (ISO 8601 with offset): the entry expires then. Omitted: 4 hours from now. At most 24 hours ahead; report again to extend. */
      ends_at?: string | null;
      person: components['schemas']['CprRef'] | components['schemas']['StaffRef'];
      /**
       * @description Their role in the meeting
       * @enum {string}
       */
      role: 'host' | 'guest';
      /** @description A short title of the meeting (kept only sealed; no CPR number) */
      title?: string | null;
    };
    /** PresenceLeave */
    PresenceLeave: {
      /** @description The meeting's conference alias on VDX (its `uriWithDomain`) */
      alias: string;
      person: components['schemas']['CprRef'] | components['schemas']['StaffRef'];
    };
    /** PresenceOut */
    PresenceOut: {
      /** Format: date-time */
      expires_at: string;
    };
    /** PreviewOut */
    PreviewOut: {
      errorUrl: string;
      expiresAt: string;
      url: string;
    };
    /** RollbackIn */
    RollbackIn: {
      version: number;
    };
    /** SinkAnswer */
    SinkAnswer: {
      accepted: number;
      ignored: number;
    };
    /** StaffDay */
    StaffDay: {
      /** Format: date */
      day: string;
      meetings: components['schemas']['StaffMeeting'][];
      /** @enum {string} */
      scope: 'mine' | 'team' | 'party';
    };
    /** StaffLaunch */
    StaffLaunch: {
      /** @description The `aud` claim the launch JWT must carry */
      jwt_audience: string;
      /** @description Redirect staff to <launch_url>?token=<JWT> */
      launch_url: string;
      /** @description The `meeting_id` claim */
      meeting_id: string;
    };
    /** StaffMeeting */
    StaffMeeting: {
      /** Format: date-time */
      end: string;
      guest_count: number;
      guests: string[];
      id: string;
      mine: boolean;
      /** Format: date-time */
      opens_at: string;
      /** Format: date-time */
      start: string;
      /** @enum {string} */
      status: 'scheduled' | 'cancelled' | 'ended';
      subject: string;
      team: string | null;
    };
    /** StaffRef */
    StaffRef: {
      /** @description Letters, digits and `._@:/-`, at most 100 characters, never a CPR number; matched case-insensitively */
      id: string;
      /** @constant */
      kind: 'staff';
    };
    /** StaffSessionOut */
    StaffSessionOut: {
      csrf_token: string;
      /** Format: date-time */
      expires_at: string;
      idle_timeout_seconds: number;
      name: string;
      party: string;
      party_name: string;
      roles: ('staff' | 'scheduler' | 'party_admin' | 'steering_group')[];
      teams: string[];
    };
    /** Statistics */
    Statistics: {
      from: string;
      months: components['schemas']['MonthFigures'][];
      party: string | null;
      /** @enum {string} */
      scope: 'party' | 'all';
      to: string;
    };
    /** SystemCreated */
    SystemCreated: {
      /** Format: date-time */
      created_at: string;
      id: string;
      key: string;
      lookup: boolean;
      lookups_per_minute: number;
      name: string;
      report: boolean;
      updates_per_minute: number;
    };
    /** SystemIn */
    SystemIn: {
      /**
       * @description May look people up
       * @default false
       */
      lookup: boolean;
      /** @default 600 */
      lookups_per_minute: number;
      name: string;
      /**
       * @description May report presence
       * @default true
       */
      report: boolean;
      /** @default 6000 */
      updates_per_minute: number;
    };
    /** SystemOut */
    SystemOut: {
      /** Format: date-time */
      created_at: string;
      id: string;
      lookup: boolean;
      lookups_per_minute: number;
      name: string;
      report: boolean;
      updates_per_minute: number;
    };
    /** SystemRef */
    SystemRef: {
      id: string;
      name: string;
    };
    /** UploadOut */
    UploadOut: {
      notes: string[];
      state: components['schemas']['BrandingState'];
      version: components['schemas']['VersionOut'];
    };
    /** VersionDetail */
    VersionDetail: {
      active: boolean;
      at: string | null;
      brandingBase: string;
      by: string | null;
      files: {
        [key: string]: components['schemas']['FileRef'];
      };
      manifest: {
        [key: string]: unknown;
      };
      notes: string[];
      version: number;
    };
    /** VersionOut */
    VersionOut: {
      active: boolean;
      at: string | null;
      brandName: string | null;
      by: string | null;
      files: number;
      sha256: string | null;
      size: number;
      version: number;
    };
  };
  responses: never;
  parameters: never;
  requestBodies: never;
  headers: never;
  pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
  AnswerDeviceCall: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description Call id */
        call_id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Request fulfilled, document follows */
      200: {
        headers: {
          'cache-control'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['GrantOut'];
        };
      };
      /** @description Bad body: the reason names the field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description Key missing or unknown */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description Not allowed */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description No such device, meeting or call (or another party's) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description The device is disabled or already ringing, the call no longer rings, or the meeting is over, cancelled or not open yet */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  DeclineDeviceCall: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description Call id */
        call_id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Request fulfilled, nothing follows */
      204: {
        headers: {
          'cache-control'?: string;
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Bad body: the reason names the field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description Key missing or unknown */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description Not allowed */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description No such device, meeting or call (or another party's) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description The device is disabled or already ringing, the call no longer rings, or the meeting is over, cancelled or not open yet */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  EnrolDevice: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['EnrolIn'];
      };
    };
    responses: {
      /** @description Document created, URL follows */
      201: {
        headers: {
          'cache-control'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['EnrolOut'];
        };
      };
      /** @description Bad body: the reason names the field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description Key missing or unknown */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description Body too large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description The device's queue is full: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  PluginInvite: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Document created, URL follows */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': unknown;
        };
      };
      /** @description Plugin token missing, unknown or replaced; session over; plugin switched off */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description A guest's grant (hosts invite), or a request from another origin */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description The meeting ended or was cancelled */
      410: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description Body too large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description Bad body: the reason names the field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description A booking or SMS limit: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  EndSession: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Left, or nothing to leave; the cookie is cleared */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description The request came from another site (not the app's own pages) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  EndMeetingForAll: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Request fulfilled, nothing follows */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description No meeting session (no cookie, or it ended): open the meeting's link again */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description Not the meeting's host, or the request came from another site */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description The meeting is over or cancelled */
      410: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description VDX failed; the meeting goes on */
      502: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  SessionHeartbeat: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Request fulfilled, document follows */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['MeetingClock'];
        };
      };
      /** @description No meeting session (no cookie, or it ended): open the meeting's link again */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description The request came from another site (not the app's own pages) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description The meeting is over or cancelled */
      410: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  StaffCallDevice: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['DeviceCallIn'];
      };
    };
    responses: {
      /** @description Document created, URL follows */
      201: {
        headers: {
          'cache-control'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['DeviceCallOut'];
        };
      };
      /** @description Bad body: the reason names the field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description No meeting session of a host (no cookie, a guest's), or the request came from another site */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description No such device, meeting or call (or another party's) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description The meeting is over or cancelled, the device is disabled or already ringing, or the call no longer rings */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description Body too large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  StaffGetDeviceCall: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        call_id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Request fulfilled, document follows */
      200: {
        headers: {
          'cache-control'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['DeviceCallOut'];
        };
      };
      /** @description Bad request syntax or unsupported method */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            detail: string;
            extra?:
              | null
              | {
                  [key: string]: unknown;
                }
              | unknown[];
            status_code: number;
          };
        };
      };
      /** @description No meeting session of a host (no cookie, a guest's), or the request came from another site */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description No such device, meeting or call (or another party's) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description The meeting is over or cancelled, the device is disabled or already ringing, or the call no longer rings */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  StaffCancelDeviceCall: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        call_id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Request fulfilled, nothing follows */
      204: {
        headers: {
          'cache-control'?: string;
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Bad request syntax or unsupported method */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            detail: string;
            extra?:
              | null
              | {
                  [key: string]: unknown;
                }
              | unknown[];
            status_code: number;
          };
        };
      };
      /** @description No meeting session of a host (no cookie, a guest's), or the request came from another site */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description No such device, meeting or call (or another party's) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description The meeting is over or cancelled, the device is disabled or already ringing, or the call no longer rings */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  StaffListDevices: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Request fulfilled, document follows */
      200: {
        headers: {
          'cache-control'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['DeviceOut'][];
        };
      };
      /** @description No meeting session of a host (no cookie, a guest's), or the request came from another site */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description The meeting is over or cancelled, the device is disabled or already ringing, or the call no longer rings */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  StaffLogout: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        party_id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Request fulfilled, document follows */
      200: {
        headers: {
          'cache-control'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['LogoutOut'];
        };
      };
      /** @description Bad request syntax or unsupported method */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            detail: string;
            extra?:
              | null
              | {
                  [key: string]: unknown;
                }
              | unknown[];
            status_code: number;
          };
        };
      };
      /** @description No staff login (or it has timed out or ended): log in at /{party}/staff/login */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description The login is another party's, X-CSRF-Token is missing or wrong, or the request came from another site */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description No such party, or no such meeting at it */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  StaffListMeetings: {
    parameters: {
      query?: {
        day?: string | null;
        scope?: 'mine' | 'team' | 'party';
        team?: string | null;
      };
      header?: never;
      path: {
        party_id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Request fulfilled, document follows */
      200: {
        headers: {
          'cache-control'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['StaffDay'];
        };
      };
      /** @description A parameter or the body is not as documented: the reason names it */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description No staff login (or it has timed out or ended): log in at /{party}/staff/login */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description The login is another party's or lacks the role (`staff`; `scheduler` for the party's day), the team is not hers, X-CSRF-Token is missing or wrong, or the request came from another site */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description No such party, or no such meeting at it */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  StaffBookMeeting: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        party_id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['MeetingCreate'];
      };
    };
    responses: {
      /** @description Document created, URL follows */
      201: {
        headers: {
          'cache-control'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['StaffMeeting'];
        };
      };
      /** @description A parameter or the body is not as documented: the reason names it */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description No staff login (or it has timed out or ended): log in at /{party}/staff/login */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description The login is another party's or lacks the role (`staff`; `scheduler` for the party's day), the team is not hers, X-CSRF-Token is missing or wrong, or the request came from another site */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description No such party, or no such meeting at it */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description Body too large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description A booking or SMS limit was reached: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description VDX failed; nothing was changed */
      502: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  StaffCancel: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description A meeting id (StaffListMeetings) */
        meeting_id: string;
        party_id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Request fulfilled, nothing follows */
      204: {
        headers: {
          'cache-control'?: string;
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description A parameter or the body is not as documented: the reason names it */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description No staff login (or it has timed out or ended): log in at /{party}/staff/login */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description The login is another party's or lacks the role (`staff`; `scheduler` for the party's day), the team is not hers, X-CSRF-Token is missing or wrong, or the request came from another site */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description No such party, or no such meeting at it */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description VDX failed; nothing was changed */
      502: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  StaffHost: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description A meeting id (StaffListMeetings) */
        meeting_id: string;
        party_id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Request fulfilled, document follows */
      200: {
        headers: {
          'cache-control'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['HostOut'];
        };
      };
      /** @description A parameter or the body is not as documented: the reason names it */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description No staff login (or it has timed out or ended): log in at /{party}/staff/login */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description The login is another party's or lacks the role (`staff`; `scheduler` for the party's day), the team is not hers, X-CSRF-Token is missing or wrong, or the request came from another site */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description No such party, or no such meeting at it */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description The meeting is over or cancelled */
      410: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description The meeting's room is not ready yet: see the reason for when it opens */
      425: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  StaffSession: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        party_id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Request fulfilled, document follows */
      200: {
        headers: {
          'cache-control'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['StaffSessionOut'];
        };
      };
      /** @description Bad request syntax or unsupported method */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            detail: string;
            extra?:
              | null
              | {
                  [key: string]: unknown;
                }
              | unknown[];
            status_code: number;
          };
        };
      };
      /** @description No staff login (or it has timed out or ended): log in at /{party}/staff/login */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description The login is another party's, X-CSRF-Token is missing or wrong, or the request came from another site */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description No such party, or no such meeting at it */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  ListMessagesFromDevices: {
    parameters: {
      query?: {
        /** @description `next` of the page before (a stream id); none: from the oldest kept */
        after?: string | null;
        /** @description 1..500 */
        limit?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Request fulfilled, document follows */
      200: {
        headers: {
          'cache-control'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['FromDevicePage'];
        };
      };
      /** @description Bad body: the reason names the field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description Key missing or unknown */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  ListDevices: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Request fulfilled, document follows */
      200: {
        headers: {
          'cache-control'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['DeviceOut'][];
        };
      };
      /** @description Bad body: the reason names the field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description Key missing or unknown */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  GetDevice: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description Device id */
        device_id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Request fulfilled, document follows */
      200: {
        headers: {
          'cache-control'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['DeviceOut'];
        };
      };
      /** @description Bad body: the reason names the field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description Key missing or unknown */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description No such device, meeting or call (or another party's) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  ListWaitingDeviceMessages: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description Device id */
        device_id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Request fulfilled, document follows */
      200: {
        headers: {
          'cache-control'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['PendingMessage'][];
        };
      };
      /** @description Bad body: the reason names the field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description Key missing or unknown */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description No such device, meeting or call (or another party's) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  SendDeviceMessage: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description Device id */
        device_id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['MessageIn'];
      };
    };
    responses: {
      /** @description Request accepted, processing continues off-line */
      202: {
        headers: {
          'cache-control'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['MessageQueued'];
        };
      };
      /** @description Bad body: the reason names the field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description Key missing or unknown */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description No such device, meeting or call (or another party's) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description Body too large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description The device's queue is full: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  CreateMeeting: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['MeetingCreate'];
      };
    };
    responses: {
      /** @description Document created, URL follows */
      201: {
        headers: {
          'cache-control'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['MeetingCreated'];
        };
      };
      /** @description Bad body: the reason names the field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description X-API-Key missing or unknown */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description A booking or SMS limit was reached: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description VDX failed; nothing was stored */
      502: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  GetMeeting: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description Meeting id from CreateMeeting */
        meeting_id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Request fulfilled, document follows */
      200: {
        headers: {
          'cache-control'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['MeetingOut'];
        };
      };
      /** @description Bad body: the reason names the field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description X-API-Key missing or unknown */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description No such meeting (another party's, or cancelled) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  CancelMeeting: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description Meeting id from CreateMeeting */
        meeting_id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Request fulfilled, nothing follows */
      204: {
        headers: {
          'cache-control'?: string;
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Bad body: the reason names the field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description X-API-Key missing or unknown */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description No such meeting (another party's, or cancelled) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description VDX failed; nothing was stored */
      502: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  CallDevice: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description Meeting id from CreateMeeting */
        meeting_id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['DeviceCallIn'];
      };
    };
    responses: {
      /** @description Document created, URL follows */
      201: {
        headers: {
          'cache-control'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['DeviceCallOut'];
        };
      };
      /** @description Bad body: the reason names the field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description Key missing or unknown */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description No such device, meeting or call (or another party's) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description The device is disabled or already ringing, the call no longer rings, or the meeting is over, cancelled or not open yet */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description Body too large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  GetDeviceCall: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description Call id */
        call_id: string;
        /** @description Meeting id from CreateMeeting */
        meeting_id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Request fulfilled, document follows */
      200: {
        headers: {
          'cache-control'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['DeviceCallOut'];
        };
      };
      /** @description Bad body: the reason names the field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description Key missing or unknown */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description No such device, meeting or call (or another party's) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  CancelDeviceCall: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description Call id */
        call_id: string;
        /** @description Meeting id from CreateMeeting */
        meeting_id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Request fulfilled, nothing follows */
      204: {
        headers: {
          'cache-control'?: string;
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Bad body: the reason names the field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description Key missing or unknown */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description No such device, meeting or call (or another party's) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description The device is disabled or already ringing, the call no longer rings, or the meeting is over, cancelled or not open yet */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  GetPartyBranding: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        party_id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Request fulfilled, document follows */
      200: {
        headers: {
          'cache-control'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['BrandingState'];
        };
      };
      /** @description Bad request syntax or unsupported method */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            detail: string;
            extra?:
              | null
              | {
                  [key: string]: unknown;
                }
              | unknown[];
            status_code: number;
          };
        };
      };
      /** @description No admin key and no login, or the key is unknown or another party's */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description A login of another party or without the role party_admin, X-CSRF-Token missing or wrong on a change, or a change from another site */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description No such party or version */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  UploadPartyBranding: {
    parameters: {
      query?: {
        activate?: boolean;
      };
      header: {
        /** @description The ETag of the version you read, e.g. "3": 428 without it, 412 when another change came first */
        'If-Match': string;
      };
      path: {
        party_id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'multipart/form-data': {
          /**
           * Format: binary
           * @description The Webapp3 branding package (zip)
           */
          package: string;
        };
      };
    };
    responses: {
      /** @description Document created, URL follows */
      201: {
        headers: {
          'cache-control'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['UploadOut'];
        };
      };
      /** @description The body is not multipart/form-data with one file in the field 'package' */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description No admin key and no login, or the key is unknown or another party's */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description A login of another party or without the role party_admin, X-CSRF-Token missing or wrong on a change, or a change from another site */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description No such party or version */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description If-Match names an older revision: read again */
      412: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description Body too large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description The package was refused: the reason names the file and the problem */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description If-Match missing: send the ETag you read */
      428: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description Another upload of this party's branding is being checked: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  GetPartyBrandingVersion: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        party_id: string;
        version: number;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Request fulfilled, document follows */
      200: {
        headers: {
          'cache-control'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['VersionDetail'];
        };
      };
      /** @description Bad request syntax or unsupported method */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            detail: string;
            extra?:
              | null
              | {
                  [key: string]: unknown;
                }
              | unknown[];
            status_code: number;
          };
        };
      };
      /** @description No admin key and no login, or the key is unknown or another party's */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description A login of another party or without the role party_admin, X-CSRF-Token missing or wrong on a change, or a change from another site */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description No such party or version */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  ActivatePartyBranding: {
    parameters: {
      query?: never;
      header: {
        /** @description The ETag of the version you read, e.g. "3": 428 without it, 412 when another change came first */
        'If-Match': string;
      };
      path: {
        party_id: string;
        version: number;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Request fulfilled, document follows */
      200: {
        headers: {
          'cache-control'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['BrandingState'];
        };
      };
      /** @description Bad request syntax or unsupported method */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            detail: string;
            extra?:
              | null
              | {
                  [key: string]: unknown;
                }
              | unknown[];
            status_code: number;
          };
        };
      };
      /** @description No admin key and no login, or the key is unknown or another party's */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description A login of another party or without the role party_admin, X-CSRF-Token missing or wrong on a change, or a change from another site */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description No such party or version */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description If-Match names an older revision: read again */
      412: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description If-Match missing: send the ETag you read */
      428: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  PreviewPartyBranding: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        party_id: string;
        version: number;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Document created, URL follows */
      201: {
        headers: {
          'cache-control'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['PreviewOut'];
        };
      };
      /** @description Bad request syntax or unsupported method */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            detail: string;
            extra?:
              | null
              | {
                  [key: string]: unknown;
                }
              | unknown[];
            status_code: number;
          };
        };
      };
      /** @description No admin key and no login, or the key is unknown or another party's */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description A login of another party or without the role party_admin, X-CSRF-Token missing or wrong on a change, or a change from another site */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description No such party or version */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  CreateDeviceEnrolment: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        party_id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['EnrolmentCreate'];
      };
    };
    responses: {
      /** @description Document created, URL follows */
      201: {
        headers: {
          'cache-control'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['EnrolmentOut'];
        };
      };
      /** @description Bad body: the reason names the field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description Key missing or unknown */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description Not allowed */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description No such device, meeting or call (or another party's) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description Body too large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  AdminListDevices: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        party_id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Request fulfilled, document follows */
      200: {
        headers: {
          'cache-control'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['DeviceOut'][];
        };
      };
      /** @description Bad body: the reason names the field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description Key missing or unknown */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description Not allowed */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description No such device, meeting or call (or another party's) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  RevokeDevice: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description Device id */
        device_id: string;
        party_id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Request fulfilled, nothing follows */
      204: {
        headers: {
          'cache-control'?: string;
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Bad body: the reason names the field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description Key missing or unknown */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description Not allowed */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description No such device, meeting or call (or another party's) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  UpdateDevice: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description Device id */
        device_id: string;
        party_id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['DevicePatch'];
      };
    };
    responses: {
      /** @description Request fulfilled, document follows */
      200: {
        headers: {
          'cache-control'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['DeviceOut'];
        };
      };
      /** @description Bad body: the reason names the field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description Key missing or unknown */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description Not allowed */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description No such device, meeting or call (or another party's) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description Body too large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  ReadPhonebookAudit: {
    parameters: {
      query?: {
        /** @description 1..1000 */
        limit?: number;
      };
      header?: never;
      path: {
        party_id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Request fulfilled, document follows */
      200: {
        headers: {
          'cache-control'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['AuditEntry'][];
        };
      };
      /** @description Bad body: the reason names the field (never echoing a reference) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description No credential, or an unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description The caller may not do this (scope, system rights, the owning party's policy) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description Unknown or expired handle, system or party */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  GetPhonebookPolicy: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        party_id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Request fulfilled, document follows */
      200: {
        headers: {
          'cache-control'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['PolicyOut'];
        };
      };
      /** @description Bad request syntax or unsupported method */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            detail: string;
            extra?:
              | null
              | {
                  [key: string]: unknown;
                }
              | unknown[];
            status_code: number;
          };
        };
      };
      /** @description No credential, or an unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description The caller may not do this (scope, system rights, the owning party's policy) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description Unknown or expired handle, system or party */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  SetPhonebookPolicy: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        party_id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['PolicyIn'];
      };
    };
    responses: {
      /** @description Request fulfilled, document follows */
      200: {
        headers: {
          'cache-control'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['PolicyOut'];
        };
      };
      /** @description Bad body: the reason names the field (never echoing a reference) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description No credential, or an unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description The caller may not do this (scope, system rights, the owning party's policy) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description Unknown or expired handle, system or party */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description Body too large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  ListPhonebookSystems: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        party_id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Request fulfilled, document follows */
      200: {
        headers: {
          'cache-control'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['SystemOut'][];
        };
      };
      /** @description Bad request syntax or unsupported method */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            detail: string;
            extra?:
              | null
              | {
                  [key: string]: unknown;
                }
              | unknown[];
            status_code: number;
          };
        };
      };
      /** @description No credential, or an unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description The caller may not do this (scope, system rights, the owning party's policy) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description Unknown or expired handle, system or party */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  RegisterPhonebookSystem: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        party_id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['SystemIn'];
      };
    };
    responses: {
      /** @description Document created, URL follows */
      201: {
        headers: {
          'cache-control'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['SystemCreated'];
        };
      };
      /** @description Bad body: the reason names the field (never echoing a reference) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description No credential, or an unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description The caller may not do this (scope, system rights, the owning party's policy) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description Unknown or expired handle, system or party */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description Body too large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  RemovePhonebookSystem: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        party_id: string;
        system_id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Request fulfilled, nothing follows */
      204: {
        headers: {
          'cache-control'?: string;
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Bad body: the reason names the field (never echoing a reference) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description No credential, or an unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description The caller may not do this (scope, system rights, the owning party's policy) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description Unknown or expired handle, system or party */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  GetPartyPlugins: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        party_id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Request fulfilled, document follows */
      200: {
        headers: {
          'cache-control'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['PluginSetOut'];
        };
      };
      /** @description Bad request syntax or unsupported method */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            detail: string;
            extra?:
              | null
              | {
                  [key: string]: unknown;
                }
              | unknown[];
            status_code: number;
          };
        };
      };
      /** @description No admin key and no login, or the key is unknown or another party's */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description A login of another party or without the role party_admin, X-CSRF-Token missing or wrong on a change, or a change from another site */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description No such party (or version) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  PutPartyPlugins: {
    parameters: {
      query?: never;
      header: {
        /** @description The ETag of the version you read, e.g. "3": 428 without it, 412 when another change came first */
        'If-Match': string;
      };
      path: {
        party_id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['PluginSetIn'];
      };
    };
    responses: {
      /** @description Request fulfilled, document follows */
      200: {
        headers: {
          'cache-control'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['PluginSetOut'];
        };
      };
      /** @description Bad request syntax or unsupported method */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            detail: string;
            extra?:
              | null
              | {
                  [key: string]: unknown;
                }
              | unknown[];
            status_code: number;
          };
        };
      };
      /** @description No admin key and no login, or the key is unknown or another party's */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description A login of another party or without the role party_admin, X-CSRF-Token missing or wrong on a change, or a change from another site */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description No such party (or version) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description If-Match names an older version: read again */
      412: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description Body too large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description The set (or the plugin zip) is not valid: the reason names the field (or file) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description If-Match missing: send the ETag you read */
      428: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  InstallPlugin: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        party_id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/zip': string;
      };
    };
    responses: {
      /** @description Document created, URL follows */
      201: {
        headers: {
          'cache-control'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['CatalogueEntryOut'];
        };
      };
      /** @description Not Content-Type: application/zip */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description No admin key and no login, or the key is unknown or another party's */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description A login of another party or without the role party_admin, X-CSRF-Token missing or wrong on a change, or a change from another site */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description No such party (or version) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description The plugin version is in use by parties (named), or in the catalogue folder */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description Body too large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description The set (or the plugin zip) is not valid: the reason names the field (or file) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  RemovePlugin: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        party_id: string;
        plugin_id: string;
        version: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Request fulfilled, nothing follows */
      204: {
        headers: {
          'cache-control'?: string;
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Bad request syntax or unsupported method */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            detail: string;
            extra?:
              | null
              | {
                  [key: string]: unknown;
                }
              | unknown[];
            status_code: number;
          };
        };
      };
      /** @description No admin key and no login, or the key is unknown or another party's */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description A login of another party or without the role party_admin, X-CSRF-Token missing or wrong on a change, or a change from another site */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description No such party (or version) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description The plugin version is in use by parties (named), or in the catalogue folder */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  GetPartyPluginHistory: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        party_id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Request fulfilled, document follows */
      200: {
        headers: {
          'cache-control'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['HistoryEntry'][];
        };
      };
      /** @description Bad request syntax or unsupported method */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            detail: string;
            extra?:
              | null
              | {
                  [key: string]: unknown;
                }
              | unknown[];
            status_code: number;
          };
        };
      };
      /** @description No admin key and no login, or the key is unknown or another party's */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description A login of another party or without the role party_admin, X-CSRF-Token missing or wrong on a change, or a change from another site */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description No such party (or version) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  RollbackPartyPlugins: {
    parameters: {
      query?: never;
      header: {
        /** @description The ETag of the version you read, e.g. "3": 428 without it, 412 when another change came first */
        'If-Match': string;
      };
      path: {
        party_id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['RollbackIn'];
      };
    };
    responses: {
      /** @description Request fulfilled, document follows */
      200: {
        headers: {
          'cache-control'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['PluginSetOut'];
        };
      };
      /** @description Bad request syntax or unsupported method */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            detail: string;
            extra?:
              | null
              | {
                  [key: string]: unknown;
                }
              | unknown[];
            status_code: number;
          };
        };
      };
      /** @description No admin key and no login, or the key is unknown or another party's */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description A login of another party or without the role party_admin, X-CSRF-Token missing or wrong on a change, or a change from another site */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description No such party (or version) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description If-Match names an older version: read again */
      412: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description Body too large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description The set (or the plugin zip) is not valid: the reason names the field (or file) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description If-Match missing: send the ETag you read */
      428: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  GetPartyPluginVersion: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        party_id: string;
        version: number;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Request fulfilled, document follows */
      200: {
        headers: {
          'cache-control'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': unknown;
        };
      };
      /** @description Bad request syntax or unsupported method */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            detail: string;
            extra?:
              | null
              | {
                  [key: string]: unknown;
                }
              | unknown[];
            status_code: number;
          };
        };
      };
      /** @description No admin key and no login, or the key is unknown or another party's */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description A login of another party or without the role party_admin, X-CSRF-Token missing or wrong on a change, or a change from another site */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description No such party (or version) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  GetPartyStatistics: {
    parameters: {
      query?: {
        /** @description First month, YYYY-MM (default: eleven months before this one) */
        from?: string | null;
        /** @description Last month, YYYY-MM (default: this month) */
        to?: string | null;
      };
      header?: never;
      path: {
        party_id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Request fulfilled, document follows */
      200: {
        headers: {
          'cache-control'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Statistics'];
          'text/csv': string;
        };
      };
      /** @description Bad month or range */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description Key missing or unknown */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description A login of another party or without the role party_admin, X-CSRF-Token missing or wrong on a change, or a change from another site */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description No such party */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  JoinFromPhonebook: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['ActionIn'];
      };
    };
    responses: {
      /** @description Document created, URL follows */
      201: {
        headers: {
          'cache-control'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['JoinOut'];
        };
      };
      /** @description Bad body: the reason names the field (never echoing a reference) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description No credential, or an unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description The caller may not do this (scope, system rights, the owning party's policy) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description Unknown or expired handle, system or party */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description The person has left that meeting, or the meeting is over */
      410: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description Body too large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  LookupPerson: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['LookupIn'];
      };
    };
    responses: {
      /** @description Request fulfilled, document follows */
      200: {
        headers: {
          'cache-control'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['LookupOut'];
        };
      };
      /** @description Bad body: the reason names the field (never echoing a reference) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description No credential, or an unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description The caller may not do this (scope, system rights, the owning party's policy) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description Body too large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description Over the caller's limit: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  ReportPresence: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['PresenceIn'];
      };
    };
    responses: {
      /** @description Request fulfilled, document follows */
      200: {
        headers: {
          'cache-control'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['PresenceOut'];
        };
      };
      /** @description Bad body: the reason names the field (never echoing a reference) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description No credential, or an unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description The caller may not do this (scope, system rights, the owning party's policy) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description Body too large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description Over the caller's limit: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  RemovePresence: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['PresenceLeave'];
      };
    };
    responses: {
      /** @description Request fulfilled, nothing follows */
      204: {
        headers: {
          'cache-control'?: string;
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Bad body: the reason names the field (never echoing a reference) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description No credential, or an unknown one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description The caller may not do this (scope, system rights, the owning party's policy) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description Body too large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description Over the caller's limit: see Retry-After */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  ReportPluginRegistration: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Request fulfilled, nothing follows */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description No session */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description Not a plugin of this page */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description Bad body: names the field */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  GetStatistics: {
    parameters: {
      query?: {
        /** @description First month, YYYY-MM (default: eleven months before this one) */
        from?: string | null;
        /** @description Steering group: one party's figures only */
        party?: string | null;
        /** @description Last month, YYYY-MM (default: this month) */
        to?: string | null;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Request fulfilled, document follows */
      200: {
        headers: {
          'cache-control'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Statistics'];
          'text/csv': string;
        };
      };
      /** @description Bad month or range */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description Key missing or unknown */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description Another party's figures, a token without stats:read, or a login without the role steering_group or party_admin */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  ReceiveEvents: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        node: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Request fulfilled, document follows */
      200: {
        headers: {
          'cache-control'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['SinkAnswer'];
        };
      };
      /** @description Not JSON */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
      /** @description Unknown node or bad credentials */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
}
