/** Shape of the JSON the BFF renders into `#bv-config` (see docs/interfaces.md). */

export type Role = 'host' | 'guest';

export interface MeetingInfo {
  subject: string;
  start: string;
  end: string;
}

/** What the session allows: the PIN never reaches the browser. */
export interface JoinGrant {
  role: Role;
  displayName: string;
  conferenceAlias: string;
  meeting: MeetingInfo;
}

export interface Party {
  id: string;
  name: string;
}

export interface ApplicationConfig {
  hiddenFunctionality?: string[];
}

export interface BrandingManifest {
  brandName?: string;
  colorPalette?: string[];
  images?: { logo?: string };
  applicationConfig?: ApplicationConfig;
  defaultUserConfig?: Record<string, unknown>;
  plugins?: unknown[];
}

export interface AppConfig {
  party: Party;
  basePath: string;
  brandingBase: string;
  manifest: BrandingManifest;
  /** The party's tilgængelighedserklæring (required for Danish public websites). */
  accessibilityStatementUrl: string | null;
  grant: JoinGrant | null;
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
