import { describe, expect, it } from 'vitest';

import { matchRoute } from './location';

describe('matchRoute', () => {
  it('finds the home page with or without the trailing slash', () => {
    expect(matchRoute('/kobenhavn/', '/kobenhavn/')).toEqual({ name: 'home' });
    expect(matchRoute('/kobenhavn', '/kobenhavn/')).toEqual({ name: 'home' });
  });

  it('decodes the meeting address', () => {
    expect(matchRoute('/kobenhavn/m/m%C3%B8de%40vdx.dk', '/kobenhavn/')).toEqual({
      name: 'address',
      alias: 'møde@vdx.dk',
    });
    expect(matchRoute('/kobenhavn/m/abc/', '/kobenhavn/')).toEqual({ name: 'address', alias: 'abc' });
  });

  it('keeps a badly encoded address as it is', () => {
    expect(matchRoute('/kobenhavn/m/%E0%A4%A', '/kobenhavn/')).toEqual({ name: 'address', alias: '%E0%A4%A' });
  });

  it('tells unknown paths from paths of another party', () => {
    expect(matchRoute('/kobenhavn/m/a/b', '/kobenhavn/')).toEqual({ name: 'unknown' });
    expect(matchRoute('/kobenhavn/x', '/kobenhavn/')).toEqual({ name: 'unknown' });
    expect(matchRoute('/kobenhavn/admin/stats', '/kobenhavn/')).toEqual({ name: 'admin', page: 'stats' });
    expect(matchRoute('/kobenhavn/admin/stats/x', '/kobenhavn/')).toEqual({ name: 'unknown' });
    expect(matchRoute('/kobenhavnx/', '/kobenhavn/')).toEqual({ name: 'outside' });
  });

  it('finds the device page (a lent tablet)', () => {
    expect(matchRoute('/kobenhavn/device', '/kobenhavn/')).toEqual({ name: 'device' });
    expect(matchRoute('/kobenhavn/device/', '/kobenhavn/')).toEqual({ name: 'device' });
    expect(matchRoute('/kobenhavn/device/x', '/kobenhavn/')).toEqual({ name: 'unknown' });
    expect(matchRoute('/kobenhavn/admin/devices', '/kobenhavn/')).toEqual({ name: 'admin', page: 'devices' });
    expect(matchRoute('/kobenhavn/admin/phonebook', '/kobenhavn/')).toEqual({ name: 'admin', page: 'phonebook' });
    expect(matchRoute('/kobenhavn/staff', '/kobenhavn/')).toEqual({ name: 'staff-portal' });
    expect(matchRoute('/kobenhavn/staff/other', '/kobenhavn/')).toEqual({ name: 'unknown' });
  });

  it('works at the root', () => {
    expect(matchRoute('/', '/')).toEqual({ name: 'home' });
    expect(matchRoute('/m/abc', '/')).toEqual({ name: 'address', alias: 'abc' });
  });
});
