import { describe, expect, it } from 'vitest';

import { aliasProblem, displayNameProblem, normaliseAlias } from './meeting-address';

describe('meeting address', () => {
  it('accepts a number with or without a domain', () => {
    expect(aliasProblem('4718203')).toBeNull();
    expect(aliasProblem('4718203@vdx.localhost')).toBeNull();
  });

  it('strips a sip: prefix and spaces', () => {
    expect(normaliseAlias('  sip:4718203@vdx.dk ')).toBe('4718203@vdx.dk');
  });

  it.each(['', '../admin', '47 18', 'a@b@c', '<script>', 'x'.repeat(121)])('rejects %j with a reason', (alias) => {
    expect(aliasProblem(alias)).toMatch(/\w/);
  });
});

describe('display name', () => {
  it('needs a non-blank name of at most 60 characters', () => {
    expect(displayNameProblem('   ')).not.toBeNull();
    expect(displayNameProblem('x'.repeat(61))).not.toBeNull();
    expect(displayNameProblem('Bo Hansen')).toBeNull();
  });
});
