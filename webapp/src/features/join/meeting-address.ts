/** A meeting address as people type it: "4718203" or "4718203@vdx.example.dk". */
const ALIAS_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._+-]*(@[A-Za-z0-9.-]+)?$/;
const MAX_LENGTH = 120;

export const normaliseAlias = (text: string): string => text.trim().replace(/^sips?:/i, '');

/** null when fine, otherwise the message key of what the person should fix. */
export const aliasProblem = (alias: string): string | null => {
  if (alias === '') return 'join.aliasMissing';
  if (alias.length > MAX_LENGTH || !ALIAS_PATTERN.test(alias)) {
    return 'join.aliasInvalid';
  }
  return null;
};

export const displayNameProblem = (name: string): string | null => {
  if (name.trim() === '') return 'join.nameMissing';
  if (name.trim().length > 60) return 'join.nameTooLong';
  return null;
};
