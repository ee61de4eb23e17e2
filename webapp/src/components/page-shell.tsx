import type { ReactNode } from 'react';

import { useAppConfig } from '@/lib/app-config-context';
import { logoUrl } from '@/lib/branding';

export interface PageShellProps {
  children: ReactNode;
}

/** Header with the party's logo and name, a centred main column and the party's accessibility statement. */
export const PageShell = ({ children }: PageShellProps) => {
  const config = useAppConfig();
  const logo = logoUrl(config);
  const name = config.manifest.brandName ?? config.party.name;
  return (
    <div className="page">
      <header className="page__header">
        {logo ? <img className="page__logo" src={logo} alt={name} /> : <span className="page__brand">{name}</span>}
      </header>
      <main className="page__main">{children}</main>
      {config.accessibilityStatementUrl ? (
        <footer className="page__footer">
          <a href={config.accessibilityStatementUrl}>Tilgængelighedserklæring</a>
        </footer>
      ) : null}
    </div>
  );
};
