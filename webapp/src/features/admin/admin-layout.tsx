import './admin-layout.css';

import { type ReactNode, useState } from 'react';

import { Button } from '@/components/button';
import { PageShell } from '@/components/page-shell';
import { useAppConfig } from '@/lib/app-config-context';
import { useAdminLogin } from '@/lib/admin-login';
import { ADMIN_PAGES, type AdminPageId, adminPagePath } from '@/lib/admin-pages';
import { apiJson, partyPath } from '@/lib/api-client';


/** "Support til medarbejdere: 33 17 30 00, … (hverdage …)": the party's staff support, never the citizens' line. */
export const StaffSupportLine = () => {
  const support = useAppConfig().staffSupport;
  if (!support) return null;
  return (
    <p className="contact" data-testid="staff-support">
      Hjælp til Borgervideo for medarbejdere:{' '}
      {support.phone && <a href={`tel:${support.phone}`}>{support.phoneDisplay ?? support.phone}</a>}
      {support.phone && support.email && ', '}
      {support.email && <a href={`mailto:${support.email}`}>{support.email}</a>}
      {support.hours ? ` (${support.hours})` : ''}
    </p>
  );
};

/** Ends the login; where to go then (the login service's logout page, else the staff login). */
const logOut = async (partyId: string, csrfToken: string): Promise<string> => {
  const body = await apiJson<{ logout_url: string | null }>(
    partyPath('/api/staff/v1', partyId, '/logout'),
    { method: 'POST', headers: { 'X-CSRF-Token': csrfToken } },
  ).catch(() => null);
  return body?.logout_url ?? `/${encodeURIComponent(partyId)}/staff`;
};

/**
 * Every admin page's frame: navigation between the pages (the current one marked), "Log ud"
 * for a login, and the party's staff support in the footer. Danish only, as the admin pages
 * (see admin-access.tsx).
 */
export const AdminLayout = ({ current, children }: { current: AdminPageId; children: ReactNode }) => {
  const { party } = useAppConfig();
  const [login] = useAdminLogin(party.id);
  const [leaving, setLeaving] = useState(false);
  return (
    <PageShell footer={<StaffSupportLine />}>
      <div className="admin-layout__bar">
        <nav aria-label="Administration" data-testid="admin-nav">
          <ul className="admin-layout__nav">
            {ADMIN_PAGES.map((page) => (
              <li key={page.id}>
                <a href={adminPagePath(party.id, page.id)} aria-current={page.id === current ? 'page' : undefined}>
                  {page.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        {login && (
          <Button
            variant="secondary"
            testId="admin-logout"
            disabled={leaving}
            onClick={() => {
              setLeaving(true);
              void logOut(party.id, login.csrfToken).then((next) => window.location.assign(next));
            }}
          >
            Log ud
          </Button>
        )}
      </div>
      {children}
    </PageShell>
  );
};
