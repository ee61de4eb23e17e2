import { describe, expect, it } from 'vitest';

import { allowFor, httpUrl, sandboxFor } from './sandbox';

const APP = 'http://127.0.0.1:8080';

describe('sandboxFor', () => {
  it('always allows scripts and only the allow-listed extras', () => {
    expect(sandboxFor(undefined, 'http://localhost:8080/p/index.html', APP)).toEqual(['allow-scripts']);
    expect(
      sandboxFor(
        ['allow-forms', 'allow-top-navigation', 'allow-modals', 'allow-popups', 'allow-same-origin', 7],
        'http://localhost:8080/p/index.html',
        APP,
      ),
    ).toEqual(['allow-scripts', 'allow-forms', 'allow-popups', 'allow-same-origin']);
  });

  it('refuses allow-same-origin to a plugin on the app origin', () => {
    expect(sandboxFor(['allow-same-origin', 'allow-forms'], '/plugin-files/p/1/index.html', APP)).toEqual([
      'allow-scripts',
      'allow-forms',
    ]);
    expect(sandboxFor(['allow-same-origin'], `${APP}/plugin-files/p/1/index.html`, APP)).toEqual(['allow-scripts']);
  });
});

describe('httpUrl', () => {
  it('resolves relative URLs and keeps http(s) only', () => {
    expect(httpUrl('widget.html', 'http://localhost:8080/plugin-files/p/1/index.html#t=1')).toBe(
      'http://localhost:8080/plugin-files/p/1/widget.html',
    );
    expect(httpUrl('javascript:alert(1)', APP)).toBeNull();
    expect(httpUrl('data:text/html,x', APP)).toBeNull();
    expect(httpUrl(42, APP)).toBeNull();
  });
});

describe('allowFor', () => {
  it('puts only the grantable permissions on the iframe, each once', () => {
    expect(allowFor(undefined)).toBe('');
    expect(allowFor([])).toBe('');
    expect(allowFor(['microphone', 'camera', 'microphone', 'geolocation', 'usb', 3, 'fullscreen'])).toBe(
      'microphone; camera; fullscreen',
    );
    expect(allowFor(['display-capture', 'clipboard-write', 'autoplay'])).toBe(
      'display-capture; clipboard-write; autoplay',
    );
    // No allowlist smuggled in: a value is a permission name, nothing more.
    expect(allowFor(['microphone *', "camera 'src' https://evil.example"])).toBe('');
  });
});
