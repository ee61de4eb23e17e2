import { describe, expect, it } from 'vitest';

import { textColourOn } from './branding';

describe('textColourOn', () => {
  it('puts white text on dark brand colours and dark text on light ones', () => {
    expect(textColourOn('#1c4482')).toBe('#ffffff');
    expect(textColourOn('#7f1d1d')).toBe('#ffffff');
    expect(textColourOn('#ffd84d')).toBe('#111111');
    expect(textColourOn('#eee')).toBe('#111111');
  });
});
