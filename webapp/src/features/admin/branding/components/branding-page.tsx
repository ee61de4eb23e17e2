import '../branding.css';

import { type ChangeEvent, type FormEvent, useRef, useState } from 'react';

import { Button } from '@/components/button';
import { AdminAccess } from '@/features/admin/admin-access';
import { useAdminPage } from '@/features/admin/use-admin-page';
import { useFocusOnMount } from '@/hooks/use-focus-on-mount';
import { ApiError } from '@/lib/api-client';

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

export interface BrandingPageProps {
  partyId: string;
  partyName: string;
}

const WHEN = new Intl.DateTimeFormat('da-DK', { dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/Copenhagen' });
const when = (iso: string | null): string => (iso ? WHEN.format(new Date(iso)) : '');
const KB = new Intl.NumberFormat('da-DK', { maximumFractionDigits: 0 });

const label = (version: BrandingVersion): string =>
  version.version === 0 ? 'Standard (fra installationen)' : `Version ${version.version}`;

/**
 * `/{party}/admin/branding`: the party uploads its Webapp3 branding package (a zip), sees it
 * on the citizen's start page and an error page before anyone else does, makes it active,
 * and can go back to any kept version or the installation's default. A party_admin login
 * opens it at once; else the admin key (where keys are on), kept in memory only.
 */
export const BrandingPage = ({ partyId, partyName }: BrandingPageProps) => {
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  const fileRef = useRef<HTMLInputElement>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [state, setState] = useState<BrandingState | null>(null);
  const [notes, setNotes] = useState<string[]>([]);
  const [preview, setPreview] = useState<{ version: number; links: PreviewLinks } | null>(null);

  const reload = async (adminKey = key) => setState(await fetchBranding(partyId, adminKey));
  const { key, busy, message, setMessage, run, access, submitKey } = useAdminPage({
    partyId,
    open: async (adminKey) => {
      await reload(adminKey);
      setMessage(null);
    },
    reasonOf: (error) => (error instanceof ApiError ? error.message : 'Der opstod en fejl.'),
    onRefused: () => setState(null),
    clearMessage: false,
  });

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
      setFileError('Vælg brandingpakken (en zip-fil).');
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
          text: `Pakken er kontrolleret og gemt som version ${result.version.version}. Den er ikke aktiv endnu: se forhåndsvisningen, og gør den aktiv.`,
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
        text:
          version === 0
            ? 'Standardbrandingen fra installationen er aktiv igen. Borgerne ser den, næste gang de åbner en side.'
            : `Version ${version} er aktiv. Borgerne ser den, næste gang de åbner en side.`,
        error: false,
      });
    });
  };

  const handlePreview = (version: number) => void run(() => showPreview(version));

  const active = state?.versions.find((v) => v.active);
  return (
    <div className="branding-admin stack">
      <section className="panel stack" aria-labelledby="branding-heading">
        <h1 id="branding-heading" ref={headingRef} tabIndex={-1}>
          Branding for {partyName}
        </h1>
        <p>
          Upload kommunens brandingpakke til Pexip Webapp3 (en zip-fil med <code>webapp3/branding/manifest.json</code>),
          se den, før borgerne gør, og gør den aktiv. Alle versioner gemmes, så du altid kan gå tilbage.
        </p>
        <AdminAccess
          {...access}
          keyTestId="branding-key-input"
          keyOpen={!state}
          submit={{ label: 'Åbn brandingen', testId: 'branding-key-submit', disabled: busy, onSubmit: submitKey }}
        />
      </section>
      <div aria-live="polite" className="stack">
        {busy && progress === null && <p role="status">Arbejder …</p>}
        {message && (
          <div className={message.error ? 'branding-admin__error' : 'notice'} role={message.error ? 'alert' : 'status'}>
            <p data-testid="branding-message">{message.text}</p>
            {message.detail && (
              <p>
                Årsag: <span data-testid="branding-error-detail">{message.detail}</span>
              </p>
            )}
          </div>
        )}
        {message?.stale && (
          <Button variant="secondary" testId="branding-reload" disabled={busy} onClick={() => void run(() => reload())}>
            Hent oversigten igen
          </Button>
        )}
      </div>
      {state && (
        <>
          <section className="panel stack" aria-labelledby="branding-active-heading">
            <h2 id="branding-active-heading">Aktiv nu</h2>
            <p data-testid="branding-active" data-version={state.active}>
              {active ? label(active) : `Version ${state.active}`}
              {active?.brandName ? ` – ${active.brandName}` : ''}
              {state.activatedAt ? `, aktiv siden ${when(state.activatedAt)} (${state.activatedBy ?? 'ukendt'})` : ''}
            </p>
          </section>

          <section className="panel stack" aria-labelledby="branding-upload-heading">
            <h2 id="branding-upload-heading">Upload en ny pakke</h2>
            <form className="stack" onSubmit={handleUpload} noValidate>
              <div className="field">
                <label className="field__label" htmlFor="branding-file">
                  Brandingpakke (zip)
                </label>
                <p className="field__hint" id="branding-file-hint">
                  Højst 8 MB. Billeder (PNG, JPEG, WebP, GIF, SVG, ICO), CSS, oversættelser (JSON) og skrifttyper (WOFF).
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
                  <label htmlFor="branding-progress">Uploader og kontrollerer pakken</label>
                  <progress id="branding-progress" data-testid="branding-progress" max={1} value={progress}>
                    {Math.round(progress * 100)} %
                  </progress>
                </div>
              )}
              <div>
                <Button type="submit" testId="branding-upload" disabled={busy}>
                  Upload og kontrollér
                </Button>
              </div>
            </form>
            {notes.length > 0 && (
              <div className="stack">
                <h3 className="branding-admin__subheading">Bemærkninger til pakken</h3>
                <ul data-testid="branding-notes">
                  {notes.map((note) => (
                    <li key={note}>{note}</li>
                  ))}
                </ul>
              </div>
            )}
          </section>

          {preview && (
            <BrandingPreview
              version={preview.version}
              links={preview.links}
              active={preview.version === state.active}
              busy={busy}
              onActivate={() => handleActivate(preview.version)}
            />
          )}

          <section className="panel stack" aria-labelledby="branding-history-heading">
            <h2 id="branding-history-heading">Versioner</h2>
            <table className="branding-admin__history" data-testid="branding-history">
              <caption className="visually-hidden">Gemte versioner af brandingen</caption>
              <thead>
                <tr>
                  <th scope="col">Version</th>
                  <th scope="col">Navn</th>
                  <th scope="col">Uploadet</th>
                  <th scope="col">Status</th>
                  <th scope="col">
                    <span className="visually-hidden">Handlinger</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {state.versions.map((version) => (
                  <tr key={version.version} data-testid="branding-version-row" data-version={version.version}>
                    <th scope="row">{label(version)}</th>
                    <td>{version.brandName ?? ''}</td>
                    <td>
                      {version.at
                        ? `${when(version.at)} af ${version.by ?? 'ukendt'} (${KB.format(version.size / 1024)} kB)`
                        : 'Mappen branding/ på serveren'}
                    </td>
                    <td>{version.active ? 'Aktiv' : ''}</td>
                    <td>
                      <div className="branding-admin__actions">
                        <Button
                          variant="secondary"
                          testId={`branding-preview-${version.version}`}
                          disabled={busy}
                          aria-label={`Forhåndsvis: ${label(version)}`}
                          onClick={() => handlePreview(version.version)}
                        >
                          Forhåndsvis
                        </Button>
                        {!version.active && (
                          <Button
                            variant="secondary"
                            testId={`branding-activate-${version.version}`}
                            disabled={busy}
                            aria-label={`Gør aktiv: ${label(version)}`}
                            onClick={() => handleActivate(version.version)}
                          >
                            Gør aktiv
                          </Button>
                        )}
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        </>
      )}
    </div>
  );
};
