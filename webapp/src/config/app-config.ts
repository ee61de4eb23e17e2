/** Shape of the JSON the BFF renders into `#bv-config` (see docs/interfaces.md). */

export type Role = 'host' | 'guest';

export interface MeetingInfo {
  subject: string;
  start: string;
  end: string;
  /** Its day and hours in Danish time per language, as the BFF wrote them (lib/meeting-time.ts). */
  when?: Partial<Record<string, { day: string; span: string }>>;
  /** Who hosts it, when the booking or the first staff launch said (shown while waiting). */
  host?: string | null;
}

/** What the session allows: the PIN never reaches the browser. */
export interface JoinGrant {
  role: Role;
  displayName: string;
  conferenceAlias: string;
  meeting: MeetingInfo;
  /** A called device's grant: who rang it (its call ends once they have left). */
  caller?: string | null;
}

export interface Party {
  id: string;
  name: string;
}

/** What the party's own pages (the admin pages, the staff portal) are given: its id for the API, its name to show. */
export interface PartyPageProps {
  partyId: Party['id'];
  partyName: Party['name'];
}

export interface ApplicationConfig {
  hiddenFunctionality?: string[];
}

export interface BrandingManifest {
  brandName?: string;
  /** The browser tab's title (the BFF renders it; used when the page was served raw). */
  appTitle?: string;
  colorPalette?: string[];
  /** Paths relative to `brandingBase`, as every path in the manifest. */
  images?: { logo?: string; jumbotron?: string; background?: string };
  favicon?: string;
  /** Stylesheets of the package, checked by the BFF and served from the branding path. */
  files?: { styles?: string[] };
  applicationConfig?: ApplicationConfig;
  defaultUserConfig?: Record<string, unknown>;
  plugins?: unknown[];
  /**
   * A party's own wording, per language (`{"da": {...}, "en": {...}}`, i18next-style
   * nested keys with `{{placeholders}}`), laid over the app's message files by
   * lib/i18n `mergeTranslations`. File references in a manifest are inlined by the BFF.
   */
  translations?: Record<string, unknown>;
}

/** How citizens reach the party by phone (party.json `contact`). */
export interface PartyContact {
  /** E.164, for `tel:` links. */
  phone: string;
  /** As people write it: "33 66 33 66". */
  phoneDisplay: string;
  /** Per language; Danish at least. */
  openingHours: Record<string, string>;
}

/** Where the party's staff get help (party.json `staff_support`): the admin pages' footer. */
export interface StaffSupport {
  phone: string | null;
  phoneDisplay: string | null;
  email: string | null;
  hours: Record<string, string> | null;
}

export interface AppConfig {
  party: Party;
  basePath: string;
  /** The address the page puts in the bar at once (index.html): set when the BFF answered a
   * citizen's SMS link with the page itself. */
  showAt?: string;
  brandingBase: string;
  manifest: BrandingManifest;
  /** The party's tilgængelighedserklæring (required for Danish public websites). */
  accessibilityStatementUrl: string | null;
  grant: JoinGrant | null;
  contact?: PartyContact | null;
  staffSupport?: StaffSupport | null;
  /** What the party has switched on or off; absent: the defaults. */
  features?: { citizenChat?: boolean };
  /** Reconnection timing (BV_RECONNECT_LONG_OUTAGE): when "Prøv igen" is offered too. */
  reconnect?: { longOutageSeconds: number };
  /** This browser previews a branding version before it is live (its banner, its end). */
  brandingPreview?: { version: number; endUrl: string } | null;
}

/** Used only when index.html was served without the BFF (vite dev). */
export const DEV_CONFIG: AppConfig = {
  party: { id: 'dev', name: 'Udviklingskommune' },
  basePath: '/dev/',
  brandingBase: '/dev/branding/',
  manifest: { brandName: 'Borgervideo', applicationConfig: {} },
  accessibilityStatementUrl: null,
  grant: null,
};
