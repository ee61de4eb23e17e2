import { describe, expect, it } from 'vitest';

import { isPluginChannelOf, isWidgetChannelOf, parseRpcCall } from './messages';

describe('parseRpcCall', () => {
  it('accepts the calls @pexip/plugin-api sends', () => {
    const call = { chanId: 'sms-1f2e', rpc: 'ui:button:add', id: 'abc', payload: { position: 'toolbar' } };
    expect(parseRpcCall(call)).toEqual(call);
    expect(
      parseRpcCall({ chanId: 'p-1', rpc: 'conference:currentRoomId', id: 'x', payload: undefined }),
    ).not.toBeNull();
    expect(parseRpcCall({ chanId: 'p-1', rpc: 'conference:currentRoomId', id: 'x' })).not.toBeNull();
  });

  it('refuses anything else', () => {
    for (const data of [
      null,
      'syn',
      [],
      { chanId: 'p-1', rpc: 'ui:button:add', id: 'a' }, // no payload
      { chanId: 'p-1', rpc: 'eval', id: 'a', payload: {} }, // unknown RPC
      { chanId: 'p-1', rpc: 'ui:button:add', id: 7, payload: {} },
      { chanId: '', rpc: 'ui:button:add', id: 'a', payload: {} },
      { chanId: 'x'.repeat(201), rpc: 'ui:button:add', id: 'a', payload: {} },
      { chanId: 'p-1', event: 'ui:button:click', payload: {} }, // an event, not a call
      { chanId: 'p-1', rpc: 'syn', replyTo: 'a', payload: { ack: true } }, // a reply
    ]) {
      expect(parseRpcCall(data)).toBeNull();
    }
  });
});

describe('channel ids', () => {
  it('ties a channel to its plugin id as registerPlugin and registerWidget build them', () => {
    expect(isPluginChannelOf('sms-invite-8c1a', 'sms-invite')).toBe(true);
    expect(isPluginChannelOf('sms-invite-8c1a', 'sms')).toBe(true); // prefix: why the id is checked too
    expect(isPluginChannelOf('other-8c1a', 'sms-invite')).toBe(false);
    expect(isPluginChannelOf('sms-invite-', 'sms-invite')).toBe(false);
    expect(isPluginChannelOf('sms-invite:widget-1', 'sms-invite')).toBe(false);
    expect(isWidgetChannelOf('sms-invite:widget-8c1a', 'sms-invite')).toBe(true);
    expect(isWidgetChannelOf('sms-invite-8c1a', 'sms-invite')).toBe(false);
  });
});
