import type { ReactNode } from 'react';

import { BrandingPreviewBanner, Jumbotron } from '@/components/branding-preview-banner';
import { useAppConfig } from '@/lib/app-config-context';
import { logoUrl } from '@/lib/branding';
import { type Language, LANGUAGE_NAMES, LANGUAGES, useI18n } from '@/lib/i18n';
import { usePluginSlots } from '@/lib/plugin-slots';

export interface PageShellProps {
  children: ReactNode;
  /** In place of the citizens' phone line (the admin pages name the staff's own support). */
  footer?: ReactNode;
}

/** Danish ⇄ English: one button that names the other language in that language. */
export const LanguageSwitch = () => {
  const { language, setLanguage, t } = useI18n();
  const other: Language = LANGUAGES.find((l) => l !== language) ?? 'da';
  return (
    <button
      type="button"
      className="lang-switch"
      data-testid="language-switch"
      lang={other}
      aria-label={t('shell.switchLanguage', { language: LANGUAGE_NAMES[other] })}
      onClick={() => setLanguage(other)}
    >
      {LANGUAGE_NAMES[other]}
    </button>
  );
};

/** "Brug for hjælp? Ring til … på 33 66 33 66 (hverdage kl. 8–16)." */
export const ContactLine = () => {
  const config = useAppConfig();
  const { language, t } = useI18n();
  const contact = config.contact;
  if (!contact) return null;
  const hours = contact.openingHours[language] ?? contact.openingHours.da ?? '';
  const name = config.manifest.brandName ?? config.party.name;
  return (
    <p className="contact" data-testid="party-contact">
      {t('shell.help', { party: name })}{' '}
      <a href={`tel:${contact.phone}`} className="contact__phone">
        {contact.phoneDisplay}
      </a>
      {hours ? ` (${hours})` : ''}
    </p>
  );
};

/** Header with the party's logo and name, a centred main column, the party's phone number and accessibility statement. */
export const PageShell = ({ children, footer }: PageShellProps) => {
  const config = useAppConfig();
  const { t } = useI18n();
  const plugins = usePluginSlots();
  const logo = logoUrl(config);
  const name = config.manifest.brandName ?? config.party.name;
  return (
    <div className="page">
      <BrandingPreviewBanner />
      <header className="brand-bar page__header">
        {logo ? <img className="page__logo" src={logo} alt={name} /> : <span className="page__brand">{name}</span>}
        <span className="page__tools">
          <LanguageSwitch />
          {plugins && <plugins.SettingsMenu />}
        </span>
      </header>
      <Jumbotron />
      <main className="page__main">{children}</main>
      <footer className="page__footer">
        {footer ?? <ContactLine />}
        {config.accessibilityStatementUrl ? (
          <a href={config.accessibilityStatementUrl}>{t('shell.accessibilityStatement')}</a>
        ) : null}
      </footer>
    </div>
  );
};
