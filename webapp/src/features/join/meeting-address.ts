/** A meeting address as people type it: "4718203" or "4718203@vdx.example.dk". */
const ALIAS_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._+-]*(@[A-Za-z0-9.-]+)?$/;
const MAX_LENGTH = 120;

export const normaliseAlias = (text: string): string => text.trim().replace(/^sips?:/i, '');

/** null when fine, otherwise what the person should fix (Danish). */
export const aliasProblem = (alias: string): string | null => {
  if (alias === '') return 'Skriv mødets adresse.';
  if (alias.length > MAX_LENGTH || !ALIAS_PATTERN.test(alias)) {
    return 'Adressen ser forkert ud. Den består af tal og evt. et domæne, fx 4718203@vdx.dk.';
  }
  return null;
};

export const displayNameProblem = (name: string): string | null => {
  if (name.trim() === '') return 'Skriv dit navn, så de andre ved, hvem du er.';
  if (name.trim().length > 60) return 'Navnet må højst være 60 tegn.';
  return null;
};
