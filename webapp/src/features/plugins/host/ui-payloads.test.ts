import { describe, expect, it } from 'vitest';

import { resolveDimension } from '../components/widgets';
import {
  checkButton,
  checkDestination,
  checkIcon,
  checkPrompt,
  checkToast,
  checkWidget,
  popupFeatures,
} from './ui-payloads';

const owner = {
  id: 'b1',
  chanId: 'p-1',
  pluginId: 'p',
  order: 1,
  base: 'http://localhost:8080/plugin-files/p/1/index.html',
};

describe('checkIcon', () => {
  it('knows the IconTypes names and sanitises custom SVG', () => {
    expect(checkIcon('IconSupport')).toEqual({ ok: true, value: { name: 'IconSupport' } });
    expect(checkIcon('IconNope')).toEqual({ ok: false, reason: 'Invalid Icon name' });
    const custom = checkIcon({
      custom: { main: '<svg><path d="M0 0" onclick="x()"/></svg>', hover: '<svg><circle r="1"/></svg>' },
    });
    expect(custom.ok && 'custom' in custom.value && custom.value.custom.main.children[0]?.attrs).toEqual({ d: 'M0 0' });
    expect(checkIcon({ custom: { main: '<html/>', hover: '<svg/>' } }).ok).toBe(false);
  });
});

describe('checkButton', () => {
  it('takes toolbar buttons with groups, badges, roles and isActive', () => {
    const result = checkButton(
      {
        position: 'toolbar',
        icon: 'IconChat',
        tooltip: 'Tolk',
        roles: ['chair'],
        isActive: true,
        badge: { isVisible: true },
        group: [{ id: 'g1', icon: 'IconPhone', tooltip: 'Ring op', badge: { isVisible: false } }],
      },
      owner,
    );
    expect(result).toMatchObject({
      ok: true,
      value: {
        position: 'toolbar',
        tooltip: 'Tolk',
        roles: ['chair'],
        isActive: true,
        badge: true,
        group: [{ id: 'g1', tooltip: 'Ring op' }],
      },
    });
  });

  it('takes participant actions and settings-menu entries', () => {
    expect(
      checkButton({ position: 'participantActions', label: 'Ring op', participantIDs: ['u1'] }, owner),
    ).toMatchObject({
      ok: true,
      value: { position: 'participantActions', participantIDs: ['u1'] },
    });
    expect(
      checkButton({ position: 'settingsMenu', label: 'Feedback', inMeetingOnly: true, roles: ['guest'] }, owner),
    ).toMatchObject({
      ok: true,
      value: { position: 'settingsMenu', inMeetingOnly: true, roles: ['guest'] },
    });
    // 19.x plugins may leave inMeetingOnly out.
    expect(checkButton({ position: 'settingsMenu', label: 'Feedback' }, owner)).toMatchObject({
      ok: true,
      value: { inMeetingOnly: false },
    });
  });

  it('takes a toolbar button without a tooltip, as Webapp3 does', () => {
    const result = checkButton({ position: 'toolbar', icon: 'IconChat' }, owner);
    expect(result.ok).toBe(true);
    expect(result.ok && result.value.position === 'toolbar' && result.value.tooltip).toBe(undefined);
    const group = checkButton(
      { position: 'toolbar', icon: 'IconChat', group: [{ id: 'g', icon: 'IconPhone' }] },
      owner,
    );
    expect(group).toMatchObject({ ok: true, value: { group: [{ id: 'g' }] } });
  });

  it('keeps opensPopup on buttons and group items, with sizes but never noopener', () => {
    const result = checkButton(
      {
        position: 'toolbar',
        icon: 'IconChat',
        tooltip: 'Log ind',
        group: [
          {
            id: 'login',
            icon: 'IconLock',
            tooltip: 'Log ind',
            opensPopup: { id: 'auth', openParams: ['login.html', '', 'width=500,height=600,noopener'] },
          },
        ],
      },
      owner,
    );
    expect(result).toMatchObject({
      ok: true,
      value: {
        group: [
          {
            id: 'login',
            opensPopup: {
              id: 'auth',
              url: 'http://localhost:8080/plugin-files/p/1/login.html',
              target: '_blank',
              features: 'width=500,height=600',
            },
          },
        ],
      },
    });
    const bad = { id: 'x', icon: 'IconLock', opensPopup: { id: 'auth', openParams: ['javascript:alert(1)'] } };
    expect(checkButton({ position: 'toolbar', icon: 'IconChat', group: [bad] }, owner).ok).toBe(false);
    expect(popupFeatures('noopener,noreferrer,width=10, Height = 20,popup,menubar=yes')).toBe(
      'width=10,height=20,popup',
    );
    expect(popupFeatures(undefined)).toBe('');
  });

  it('refuses what it cannot show', () => {
    expect(checkButton({ position: 'toolbar', icon: 'IconX', tooltip: 't' }, owner)).toEqual({
      ok: false,
      reason: 'Invalid Icon name',
    });
    expect(checkButton({ position: 'toolbar', icon: 'IconChat', tooltip: 7 }, owner).ok).toBe(false);
    expect(checkButton({ position: 'toolbar', icon: 'IconChat', tooltip: 't', roles: ['admin'] }, owner).ok).toBe(
      false,
    );
    expect(checkButton({ position: 'header', label: 'x' }, owner).ok).toBe(false);
    expect(
      checkButton(
        { position: 'settingsMenu', label: 'x', opensPopup: { id: 'p', openParams: ['javascript:alert(1)'] } },
        owner,
      ).ok,
    ).toBe(false);
  });
});

describe('checkToast', () => {
  it('defaults, bounds and keeps lasting toasts closable', () => {
    expect(checkToast({ message: 'Hej' }, 't')).toEqual({
      ok: true,
      value: {
        id: 't',
        message: 'Hej',
        isDanger: false,
        isInterrupt: false,
        position: 'topCenter',
        timeout: 5000,
        canDismiss: false,
      },
    });
    expect(checkToast({ message: 'Hej', timeout: 0 }, 't')).toMatchObject({ value: { timeout: 0, canDismiss: true } });
    expect(checkToast({ message: '' }, 't').ok).toBe(false);
    expect(checkToast({ message: 'x', position: 'left' }, 't').ok).toBe(false);
  });
});

describe('checkWidget', () => {
  const widgetOwner = { ...owner, sandbox: ['allow-scripts'] };
  it('resolves src against the plugin and keeps the sandbox', () => {
    expect(checkWidget({ src: 'panel.html', title: 'Panel', type: 'sidePanel' }, widgetOwner)).toMatchObject({
      ok: true,
      value: { src: 'http://localhost:8080/plugin-files/p/1/panel.html', visible: false, sandbox: ['allow-scripts'] },
    });
    expect(
      checkWidget(
        {
          src: 'f.html',
          title: 'F',
          type: 'floating',
          isVisible: true,
          position: 'bottomLeft',
          dimensions: { width: '30%', height: { md: '300px' } },
        },
        widgetOwner,
      ),
    ).toMatchObject({
      ok: true,
      value: { visible: true, draggable: true, position: 'bottomLeft', width: '30%', height: { md: '300px' } },
    });
  });

  it('refuses other schemes and CSS that is not a size', () => {
    expect(checkWidget({ src: 'javascript:alert(1)', title: 'x', type: 'sidePanel' }, widgetOwner).ok).toBe(false);
    expect(checkWidget({ src: 'a.html', title: 'x', type: 'modal' }, widgetOwner).ok).toBe(false);
    expect(
      checkWidget(
        { src: 'a.html', title: 'x', type: 'floating', dimensions: { width: 'calc(1px); background: red' } },
        widgetOwner,
      ).ok,
    ).toBe(false);
  });
});

describe('checkDestination', () => {
  it('takes http and https only', () => {
    expect(checkDestination({ url: 'https://kommune.dk/tak' })).toEqual({ ok: true, value: 'https://kommune.dk/tak' });
    expect(checkDestination({ url: 'javascript:alert(1)' }).ok).toBe(false);
    expect(checkDestination({ url: '/relative' }).ok).toBe(false);
  });
});

describe('resolveDimension', () => {
  it('picks the largest breakpoint reached, mobile entries first', () => {
    expect(resolveDimension('40%', 1200, 800)).toBe('40%');
    expect(resolveDimension({ sm: '50%', md: '30%' }, 1200, 800)).toBe('30%');
    expect(resolveDimension({ sm: '50%', md: '30%' }, 600, 800)).toBe('50%');
    expect(resolveDimension({ md: '30%', mobilePortrait: '100%' }, 390, 840)).toBe('100%');
    expect(resolveDimension({ lg: '30%' }, 600, 800)).toBeUndefined();
  });
});

describe('checkPrompt', () => {
  it('takes a title and one or two answers', () => {
    expect(checkPrompt({ title: 'Sikker?', prompt: { primaryAction: 'Ja', secondaryAction: 'Nej' } })).toEqual({
      ok: true,
      value: { title: 'Sikker?', primaryAction: 'Ja', secondaryAction: 'Nej' },
    });
    expect(checkPrompt({ title: 'Sikker?', description: 'Tekst', prompt: { primaryAction: 'OK' } })).toMatchObject({
      ok: true,
    });
    expect(checkPrompt({ title: 'Sikker?', prompt: {} }).ok).toBe(false);
    expect(checkPrompt({ prompt: { primaryAction: 'OK' } }).ok).toBe(false);
    expect(checkPrompt({ title: 'x', description: 3, prompt: { primaryAction: 'OK' } }).ok).toBe(false);
  });
});
