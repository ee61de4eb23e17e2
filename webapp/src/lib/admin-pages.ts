/** A party administrator's pages (`/{party}/admin/{id}`), in the order their navigation lists them. */
export const ADMIN_PAGES = ['stats', 'plugins', 'branding', 'devices', 'phonebook'] as const;

export type AdminPageId = (typeof ADMIN_PAGES)[number];

export const adminPagePath = (partyId: string, page: AdminPageId): string =>
  `/${encodeURIComponent(partyId)}/admin/${page}`;
