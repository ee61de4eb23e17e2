import './admin-layout.css';

import { type ReactNode, useState } from 'react';

import { Button } from '@/components/button';
import { PageShell } from '@/components/page-shell';
import { useAppConfig } from '@/lib/app-config-context';
import { useAdminLogin } from '@/lib/admin-login';
import { ApiError, apiJson, type ApiSchemas, partyPath } from '@/lib/api-client';
import { ADMIN_PAGES, type AdminPageId, adminPagePath } from '@/lib/admin-pages';
import { useI18n } from '@/lib/i18n';

export type { AdminPageId };

/** "Support til medarbejdere: 33 17 30 00, … (hverdage …)": the party's staff support, never the citizens' line. */
export const StaffSupportLine = () => {
  const support = useAppConfig().staffSupport;
  const { t, language } = useI18n();
  if (!support) return null;
  const hours = support.hours ? (support.hours[language] ?? support.hours.da) : null;
  return (
    <p className="contact" data-testid="staff-support">
      {t('admin.support')}{' '}
      {support.phone && <a href={`tel:${support.phone}`}>{support.phoneDisplay ?? support.phone}</a>}
      {support.phone && support.email && ', '}
      {support.email && <a href={`mailto:${support.email}`}>{support.email}</a>}
      {hours ? ` (${hours})` : ''}
    </p>
  );
};

const logOut = async (partyId: string, csrfToken: string): Promise<string> => {
  const refused = (error: unknown): null => {
    if (error instanceof ApiError && error.status !== 0) return null; // logged out already: the portal
    throw error;
  };
  const body = await apiJson<ApiSchemas['LogoutOut']>(partyPath('/api/staff/v1', partyId, '/logout'), {
    method: 'POST',
    headers: { 'X-CSRF-Token': csrfToken },
  }).catch(refused);
  return body?.logout_url ?? `/${encodeURIComponent(partyId)}/staff`;
};

/**
 * Every admin page's frame: navigation between the pages (the current one marked), "Log ud"
 * for a login, and the party's staff support in the footer.
 */
export const AdminLayout = ({ current, children }: { current: AdminPageId; children: ReactNode }) => {
  const { party } = useAppConfig();
  const { t } = useI18n();
  const [login] = useAdminLogin(party.id);
  const [leaving, setLeaving] = useState(false);
  return (
    <PageShell footer={<StaffSupportLine />}>
      <div className="admin-layout__bar">
        <nav aria-label={t('admin.nav.label')} data-testid="admin-nav">
          <ul className="admin-layout__nav">
            {ADMIN_PAGES.map((page) => (
              <li key={page}>
                <a href={adminPagePath(party.id, page)} aria-current={page === current ? 'page' : undefined}>
                  {t(`admin.nav.${page}`)}
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
            {t('portal.logout')}
          </Button>
        )}
      </div>
      {children}
    </PageShell>
  );
};
