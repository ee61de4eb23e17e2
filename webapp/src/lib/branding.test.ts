import { describe, expect, it } from 'vitest';

import { brandingUrl, textColourOn, userDefault } from './branding';

describe('textColourOn', () => {
  it('puts white text on dark brand colours and dark text on light ones', () => {
    expect(textColourOn('#1c4482')).toBe('#ffffff');
    expect(textColourOn('#7f1d1d')).toBe('#ffffff');
    expect(textColourOn('#ffd84d')).toBe('#111111');
    expect(textColourOn('#eee')).toBe('#111111');
  });
});

describe('branding package paths and defaults', () => {
  const config = {
    party: { id: 'kobenhavn', name: 'Københavns Kommune' },
    basePath: '/kobenhavn/',
    brandingBase: '/kobenhavn/branding/@3/',
    manifest: { defaultUserConfig: { alwaysDisplayUIInterfaces: true, callType: 'video' } },
    accessibilityStatementUrl: null,
    grant: null,
  };

  it('resolves files against the version path and never leaves it', () => {
    expect(brandingUrl(config, 'logo.svg')).toBe('/kobenhavn/branding/@3/logo.svg');
    expect(brandingUrl(config, './images/hero.jpg')).toBe('/kobenhavn/branding/@3/images/hero.jpg');
    expect(brandingUrl(config, '../../party.json')).toBeNull();
    expect(brandingUrl(config, 'https://evil.example/x.png')).toBeNull();
    expect(brandingUrl(config, '//evil.example/x.png')).toBeNull();
    expect(brandingUrl(config, undefined)).toBeNull();
  });

  it("takes defaultUserConfig only when it has the setting's type", () => {
    expect(userDefault(config, 'alwaysDisplayUIInterfaces', false)).toBe(true);
    expect(userDefault(config, 'callType', 'audio')).toBe('video');
    expect(userDefault(config, 'callType', false)).toBe(false);
    expect(userDefault(config, 'missing', 3)).toBe(3);
  });
});
