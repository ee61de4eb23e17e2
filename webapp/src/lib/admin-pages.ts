/** A party administrator's pages (`/{party}/admin/{id}`). */
export type AdminPageId = 'stats' | 'plugins' | 'branding' | 'devices' | 'phonebook';

/** In the order their navigation lists them; Danish only, as the pages (features/admin/admin-access.tsx). */
export const ADMIN_PAGES: readonly { id: AdminPageId; label: string }[] = [
  { id: 'stats', label: 'Statistik' },
  { id: 'plugins', label: 'Plugins' },
  { id: 'branding', label: 'Branding' },
  { id: 'devices', label: 'Enheder' },
  { id: 'phonebook', label: 'Telefonbog' },
];

export const adminPagePath = (partyId: string, page: AdminPageId): string =>
  `/${encodeURIComponent(partyId)}/admin/${page}`;
