import '../branding.css';

import { type ChangeEvent, type FormEvent, useRef, useState } from 'react';

import { Button } from '@/components/button';
import { DataTable } from '@/components/data-table';
import type { PartyPageProps } from '@/config/app-config';
import { AdminPage, AdminSection } from '@/features/admin/admin-page';
import { useAdminActions, useAdminOpening, useAdminSession } from '@/features/admin/use-admin-page';
import { AdminApiError } from '@/lib/admin-login';
import { type Language, type Translator, useI18n } from '@/lib/i18n';
import { longDateTime } from '@/lib/meeting-time';

import {
  activateVersion,
  type BrandingState,
  type BrandingVersion,
  fetchBranding,
  type PreviewLinks,
  previewLinks,
  uploadPackage,
} from '../branding-api';
import { BrandingPreview } from './branding-preview';

const locale = (language: Language): string => (language === 'da' ? 'da-DK' : 'en-GB');
const kilobytes = (bytes: number, language: Language): string =>
  new Intl.NumberFormat(locale(language), { maximumFractionDigits: 0 }).format(bytes / 1024);

const labelOf = (t: Translator['t'], version: BrandingVersion): string =>
  version.version === 0 ? t('admin.branding.default') : t('admin.branding.version', { version: version.version });

/**
 * `/{party}/admin/branding`: the party uploads its Webapp3 branding package (a zip), sees it
 * on the citizen's start page and an error page before anyone else does, makes it active,
 * and can go back to any kept version or the installation's default. A party_admin login
 * opens it at once; else the admin key (where keys are on), kept in memory only.
 */
export const BrandingPage = ({ partyId, partyName }: PartyPageProps) => {
  const { t, language } = useI18n();
  const label = (version: BrandingVersion): string => labelOf(t, version);
  const session = useAdminSession(partyId);
  const { key } = session;
  const fileRef = useRef<HTMLInputElement>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [state, setState] = useState<BrandingState | null>(null);
  const [notes, setNotes] = useState<string[]>([]);
  const [preview, setPreview] = useState<{ version: number; links: PreviewLinks } | null>(null);
  const { busy, message, setMessage, run } = useAdminActions(session, {
    describe: (error) => {
      const known = error instanceof AdminApiError ? error : null;
      return {
        text: t(known?.message ?? 'admin.failed'),
        detail: known?.detail ?? null,
        error: true,
      };
    },
    onRefused: () => setState(null),
  });

  const reload = async () => setState(await fetchBranding(partyId, key));

  const open = () =>
    run(async () => {
      await reload();
      setMessage(null);
    });

  const handleKey = useAdminOpening(session, () => void open());

  const showPreview = async (version: number) => {
    setPreview({ version, links: await previewLinks(partyId, key, version) });
  };

  const handleFile = (event: ChangeEvent<HTMLInputElement>) => {
    setFile(event.target.files?.[0] ?? null);
    setFileError(null);
  };

  const handleUpload = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!state) return;
    if (!file) {
      setFileError(t('admin.branding.chooseFile'));
      fileRef.current?.focus();
      return;
    }
    setNotes([]);
    setPreview(null);
    setProgress(0);
    void run(async () => {
      try {
        const result = await uploadPackage(partyId, key, state.revision, file, setProgress);
        setState(result.state);
        setNotes(result.notes);
        setMessage({
          text: t('admin.branding.uploaded', { version: result.version.version }),
          error: false,
        });
        await showPreview(result.version.version);
      } finally {
        setProgress(null);
      }
    });
  };

  const handleActivate = (version: number) => {
    if (!state) return;
    void run(async () => {
      const next = await activateVersion(partyId, key, state.revision, version);
      setState(next);
      setPreview(null);
      setMessage({
        text: version === 0 ? t('admin.branding.defaultActive') : t('admin.branding.active', { version }),
        error: false,
      });
    });
  };

  const handlePreview = (version: number) => void run(() => showPreview(version));

  /** A version's buttons: look at it, and make it the active one where it is not. */
  const versionActions = (version: BrandingVersion) => [
    { action: 'preview', text: t('admin.branding.preview'), onChoose: handlePreview },
    ...(version.active ? [] : [{ action: 'activate', text: t('admin.branding.makeActive'), onChoose: handleActivate }]),
  ];

  const active = state?.versions.find((v) => v.active);

  return (
    <AdminPage
      page="branding"
      partyName={partyName}
      intro={t('admin.branding.intro')}
      session={session}
      open={{ label: t('admin.branding.open'), keyOpen: !state, onSubmit: handleKey }}
      busy={busy}
      message={message}
      onReload={() => void run(reload)}
      status={{
        className: 'stack',
        busy: busy && progress === null,
        show: (shown) => (
          <div className={shown.error ? 'branding-admin__error' : 'notice'} role={shown.error ? 'alert' : 'status'}>
            <p data-testid="branding-message">{shown.text}</p>
            {shown.detail && (
              <p>
                {t('admin.branding.reason')} <span data-testid="branding-error-detail">{shown.detail}</span>
              </p>
            )}
          </div>
        ),
      }}
    >
      {state && (
        <>
          <AdminSection id="branding-active-heading" title={t('admin.branding.activeHeading')}>
            <p data-testid="branding-active" data-version={state.active}>
              {active ? label(active) : t('admin.branding.version', { version: state.active })}
              {active?.brandName ? ` – ${active.brandName}` : ''}
              {state.activatedAt
                ? t('admin.branding.activeSince', {
                    when: longDateTime(state.activatedAt, language),
                    by: state.activatedBy ?? t('admin.plugins.unknown'),
                  })
                : ''}
            </p>
          </AdminSection>

          <AdminSection id="branding-upload-heading" title={t('admin.branding.uploadHeading')}>
            <form className="stack" onSubmit={handleUpload} noValidate>
              <div className="field">
                <label className="field__label" htmlFor="branding-file">
                  {t('admin.branding.file')}
                </label>
                <p className="field__hint" id="branding-file-hint">
                  {t('admin.branding.fileHint')}
                </p>
                <input
                  ref={fileRef}
                  id="branding-file"
                  type="file"
                  accept=".zip,application/zip"
                  className="field__input"
                  data-testid="branding-file-input"
                  aria-describedby={fileError ? 'branding-file-hint branding-file-error' : 'branding-file-hint'}
                  aria-invalid={fileError ? true : undefined}
                  onChange={handleFile}
                />
                {fileError && (
                  <p className="field__error" id="branding-file-error" role="alert">
                    {fileError}
                  </p>
                )}
              </div>
              {progress !== null && (
                <div className="branding-admin__progress">
                  <label htmlFor="branding-progress">{t('admin.branding.progress')}</label>
                  <progress id="branding-progress" data-testid="branding-progress" max={1} value={progress}>
                    {Math.round(progress * 100)} %
                  </progress>
                </div>
              )}
              <div>
                <Button type="submit" testId="branding-upload" disabled={busy}>
                  {t('admin.branding.upload')}
                </Button>
              </div>
            </form>
            {notes.length > 0 && (
              <div className="stack">
                <h3 className="branding-admin__subheading">{t('admin.branding.notes')}</h3>
                <ul data-testid="branding-notes">
                  {notes.map((note) => (
                    <li key={note}>{note}</li>
                  ))}
                </ul>
              </div>
            )}
          </AdminSection>

          {preview && (
            <BrandingPreview
              version={preview.version}
              links={preview.links}
              active={preview.version === state.active}
              busy={busy}
              onActivate={() => handleActivate(preview.version)}
            />
          )}

          <AdminSection id="branding-history-heading" title={t('admin.branding.versions')}>
            <DataTable
              className="branding-admin__history"
              testId="branding-history"
              caption={t('admin.branding.versionsCaption')}
              captionHidden
              columns={[
                t('admin.plugins.colVersion'),
                t('admin.branding.colName'),
                t('admin.branding.colUploaded'),
                t('admin.branding.colStatus'),
              ]}
              actions={t('admin.branding.colActions')}
            >
              {state.versions.map((version) => (
                <tr key={version.version} data-testid="branding-version-row" data-version={version.version}>
                  <th scope="row">{label(version)}</th>
                  <td>{version.brandName ?? ''}</td>
                  <td>
                    {version.at
                      ? t('admin.branding.uploadedBy', {
                          when: longDateTime(version.at, language),
                          by: version.by ?? t('admin.plugins.unknown'),
                          size: kilobytes(version.size, language),
                        })
                      : t('admin.branding.folder')}
                  </td>
                  <td>{version.active ? t('admin.branding.activeTag') : ''}</td>
                  <td>
                    <div className="branding-admin__actions">
                      {versionActions(version).map(({ action, text, onChoose }) => (
                        <Button
                          key={action}
                          srText={`: ${label(version)}`}
                          variant="secondary"
                          testId={`branding-${action}-${version.version}`}
                          disabled={busy}
                          onClick={() => onChoose(version.version)}
                        >
                          {text}
                        </Button>
                      ))}
                    </div>
                  </td>
                </tr>
              ))}
            </DataTable>
          </AdminSection>
        </>
      )}
    </AdminPage>
  );
};
