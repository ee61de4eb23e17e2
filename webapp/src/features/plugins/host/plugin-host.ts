/**
 * The host side of @pexip/plugin-api: plugins in hidden sandboxed iframes, widgets in visible
 * ones, one channel per iframe after its handshake, and the UI they ask for kept apart per
 * channel. Framework-free; React reads `getSnapshot()` through `subscribe()`.
 *
 * Trust rules:
 * - a message counts only when its `source` is the window of an iframe this host created;
 * - before its `syn` / `syn:widget` is acknowledged an iframe can do nothing else;
 * - a channel id is bound to the iframe that registered it: the same id from another
 *   window is ignored, and replies and events go only to that window;
 * - a plugin registers under its manifest id only, a widget only under its own plugin's;
 * - when an iframe goes (removed, or its document replaced and registered anew) every
 *   element its channels put on screen goes with it.
 */
import type { EventPayload } from '@pexip/plugin-api';

import type { Role } from '@/config/app-config';
import { apiSend } from '@/lib/api-client';
import type { InfinitySession } from '@/lib/infinity';

import { checkFormPayload, type FieldValue, type FormInput, typedFormInput } from '../protocol/forms';
import {
  isConferenceRpc,
  isPluginChannelOf,
  isRecord,
  isWidgetChannelOf,
  parseRpcCall,
  PLUGIN_ID,
  type RpcCall,
  type UiRpc,
} from '../protocol/messages';
import { allowFor, originOf, sandboxFor } from '../protocol/sandbox';
import { type CallMemory, forwardCallEvents, type PluginEventName, replayCall } from './call-events';
import { runConferenceRpc } from './conference-rpc';
import { type Checked, checkButton, checkDestination, checkPrompt, checkToast, checkWidget } from './ui-payloads';
import {
  emptyUiState,
  type FormModal,
  type PluginButton,
  type PluginModal,
  type PluginWidget,
  type PopupRequest,
  type PromptModal,
  type UiState,
} from './ui-state';

export interface ManifestPlugin {
  id: string;
  src: string;
  sandboxValues?: string[];
  /** The permissions the party granted it (the iframe's `allow`; protocol/sandbox.ts). */
  allow?: string[];
  /** Its catalogue version. */
  version?: string;
  /** Where to report the id it registers with (the catalogue does not know it yet). */
  check?: string;
}

interface Frame {
  kind: 'plugin' | 'widget';
  pluginId: string;
  /** Manifest order: elements are listed plugin by plugin. */
  index: number;
  iframe: HTMLIFrameElement;
  sandbox: string[];
  /** Its `allow` attribute (the granted permissions), '' for none. */
  allow: string;
  /** The plugin's own address: relative widget and popup URLs resolve against it. */
  base: string;
  /** Where messages to it may go: its origin, or '*' for an opaque (sandboxed) one. */
  targetOrigin: string;
  widgetId?: string;
  channel?: Channel;
  /** Its manifest entry, while the id it registers with is still to be reported. */
  check?: ManifestPlugin;
}

interface Channel {
  chanId: string;
  frame: Frame;
  window: Window;
}

export interface CallBinding {
  session: InfinitySession;
}

type Listener = () => void;

const MAX_ELEMENTS_PER_CHANNEL = 50;

/** A modal as the plugin asked for it: the host adds its id, channel, order and state. */
type ModalRequest =
  Omit<FormModal, 'id' | 'chanId' | 'order' | 'dismissed'> | Omit<PromptModal, 'id' | 'chanId' | 'order' | 'dismissed'>;

/** The form (`ui:form:open`) or prompt (`ui:prompt:open`) the payload asks for, checked. */
const modalOf = (rpc: 'ui:form:open' | 'ui:prompt:open', payload: unknown): Checked<ModalRequest> => {
  if (rpc === 'ui:form:open') {
    const form = checkFormPayload(payload);
    return form.ok ? { ok: true, value: { kind: 'form', spec: form.value } } : form;
  }
  const prompt = checkPrompt(payload);
  return prompt.ok ? { ok: true, value: { kind: 'prompt', ...prompt.value } } : prompt;
};
const MAX_QUEUED_TOASTS = 20;

const ok = (id: string) => ({ status: 'ok' as const, id, data: undefined });
const failed = (id: string, reason: string) => ({ status: 'failed' as const, id, reason });

let elementSeq = 0;
const newElementId = (): string => {
  elementSeq += 1;
  return `bv-${elementSeq}-${Math.random().toString(36).slice(2, 10)}`;
};

export class PluginHost {
  private state: UiState;
  private readonly listeners = new Set<Listener>();
  private readonly frames = new Set<Frame>();
  private readonly channels = new Map<string, Channel>();
  private readonly widgetFrames = new Map<string, Frame>();
  private readonly container: HTMLElement;
  private call: { binding: CallBinding; detach: () => void } | null = null;
  /** Notices a plugin iframe leaving the page, whoever took it away. */
  private readonly removals = new MutationObserver(() => {
    for (const frame of [...this.frames]) {
      if (frame.kind === 'plugin' && !frame.iframe.isConnected) this.removeFrame(frame);
    }
  });
  private readonly memory: CallMemory = { authenticated: null };
  private destination: string | null = null;
  private seq = 0;
  /** Popups opened for a plugin's button, by window: what they post to us goes to the plugin. */
  private readonly popups = new Map<Window, Frame>();

  constructor(
    private readonly plugins: ManifestPlugin[],
    private readonly appOrigin: string,
    expectedRole: Role | undefined,
    /** The person's language (lib/i18n), told to every plugin on its handshake. */
    private language: string = 'da',
  ) {
    this.state = emptyUiState(expectedRole);
    this.container = document.createElement('div');
    this.container.className = 'plugin-frames';
    this.container.setAttribute('aria-hidden', 'true');
  }

  // ---- lifecycle -------------------------------------------------------------------------

  /** Creates the hidden plugin iframes (before the person joins) and starts listening. */
  start(): void {
    window.addEventListener('message', this.handleMessage);
    document.body.append(this.container);
    this.removals.observe(this.container, { childList: true });
    this.removals.observe(document.body, { childList: true });
    this.plugins.forEach((plugin, index) => {
      if (!PLUGIN_ID.test(plugin.id) || this.pluginFrame(plugin.id)) return;
      const base = new URL(plugin.src, window.location.href).href;
      if (!originOf(base, this.appOrigin)) return;
      const sandbox = sandboxFor(plugin.sandboxValues, base, this.appOrigin);
      const allow = allowFor(plugin.allow);
      const iframe = document.createElement('iframe');
      iframe.className = 'plugin-frame';
      iframe.tabIndex = -1;
      iframe.title = `Plugin ${plugin.id}`;
      iframe.setAttribute('sandbox', sandbox.join(' '));
      if (allow) iframe.setAttribute('allow', allow);
      iframe.setAttribute('data-plugin-id', plugin.id);
      iframe.referrerPolicy = 'no-referrer';
      iframe.src = base;
      const check = plugin.check && plugin.version ? plugin : undefined;
      this.frames.add({
        kind: 'plugin',
        pluginId: plugin.id,
        index,
        iframe,
        sandbox,
        allow,
        base,
        targetOrigin: this.targetOf(base, sandbox),
        check,
      });
      this.container.append(iframe);
    });
  }

  stop(): void {
    window.removeEventListener('message', this.handleMessage);
    this.removals.disconnect();
    this.detachCall();
    for (const frame of [...this.frames]) this.removeFrame(frame);
    this.container.remove();
  }

  /** Takes a plugin away (its iframe and everything it showed). */
  removePlugin(pluginId: string): void {
    const frame = this.pluginFrame(pluginId);
    if (frame) this.removeFrame(frame);
  }

  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): UiState => this.state;

  /**
   * The person chose another language: every plugin and widget hears `event:languageSelect`
   * (plugin-api dist/index.js `events.languageSelect`), as on its handshake.
   */
  setLanguage(language: string): void {
    if (language === this.language) return;
    this.language = language;
    this.broadcast('event:languageSelect', language);
  }

  disconnectDestination(): string | null {
    return this.destination;
  }

  // ---- the call --------------------------------------------------------------------------

  /** The call plugins act on and hear about; returns the detach. */
  attachCall(binding: CallBinding): () => void {
    this.detachCall();
    const detach = forwardCallEvents(binding.session, this.broadcast, this.memory);
    this.call = { binding, detach };
    return () => {
      if (this.call?.binding === binding) this.detachCall();
    };
  }

  private detachCall(): void {
    this.call?.detach();
    this.call = null;
    this.memory.authenticated = null;
    this.setCallState(false, this.state.role);
  }

  setCallState(inMeeting: boolean, role: Role | undefined): void {
    if (this.state.inMeeting === inMeeting && this.state.role === role) return;
    this.update({ ...this.state, inMeeting, role });
  }

  userInitiatedDisconnect(): void {
    this.broadcast('event:userInitiatedDisconnect', undefined);
  }

  // ---- messages --------------------------------------------------------------------------

  private readonly handleMessage = (event: MessageEvent): void => {
    if (!event.source) return;
    const popupOf = this.popups.get(event.source as Window);
    if (popupOf) return this.relayFromPopup(popupOf, event.data);
    const frame = this.frameOf(event.source);
    if (!frame) return; // not one of ours: ignored
    const call = parseRpcCall(event.data);
    if (!call) return;
    const source = event.source as Window;
    if (call.rpc === 'syn') return this.handleSyn(frame, source, call);
    if (call.rpc === 'syn:widget') return this.handleSynWidget(frame, source, call);
    const channel = this.channels.get(call.chanId);
    // Only an acknowledged channel, and only from the window that registered it.
    if (!channel || channel.window !== source || channel.frame !== frame) return;
    if (isConferenceRpc(call.rpc)) {
      void runConferenceRpc(call.rpc, call.payload, this.call?.binding.session.client ?? null).then((reply) =>
        this.reply(channel, call, reply),
      );
      return;
    }
    this.reply(channel, call, this.handleUiRpc(channel, call as RpcCall & { rpc: UiRpc }));
  };

  private handleSyn(frame: Frame, source: Window, call: RpcCall): void {
    const payload = isRecord(call.payload) ? call.payload : {};
    if (frame.kind === 'plugin' && typeof payload.id === 'string') this.reportRegistration(frame, payload.id);
    let reason: string | null = null;
    if (frame.kind !== 'plugin') reason = 'Not a plugin. You are likely trying to register a widget as a plugin';
    else if (payload.id !== frame.pluginId) reason = `The plugin id must be the manifest's: '${frame.pluginId}'`;
    else if (!isPluginChannelOf(call.chanId, frame.pluginId) || this.isTakenByOther(call.chanId, frame)) {
      reason = 'Invalid channel id';
    }
    this.handshake(frame, source, call, reason);
  }

  /** Tells the catalogue the id a plugin registered with, once, when it asked (a build whose
   * id is not a literal): a mismatch with plugin.json's shows on the admin page. */
  private reportRegistration(frame: Frame, registeredId: string): void {
    const plugin = frame.check;
    if (!plugin?.check || !plugin.version) return;
    frame.check = undefined;
    void apiSend(plugin.check, {
      method: 'POST',
      body: { id: plugin.id, version: plugin.version, registeredId: registeredId.slice(0, 100) },
    });
  }

  private handleSynWidget(frame: Frame, source: Window, call: RpcCall): void {
    const payload = isRecord(call.payload) ? call.payload : {};
    let reason: string | null = null;
    if (frame.kind !== 'widget') reason = 'Not a widget. You are likely trying to register a plugin as a widget';
    else if (payload.parentPluginId !== frame.pluginId) reason = `parentPluginId must be '${frame.pluginId}'`;
    else if (!isWidgetChannelOf(call.chanId, frame.pluginId) || this.isTakenByOther(call.chanId, frame)) {
      reason = 'Invalid channel id';
    }
    this.handshake(frame, source, call, reason);
  }

  private isTakenByOther(chanId: string, frame: Frame): boolean {
    const existing = this.channels.get(chanId);
    return existing !== undefined && existing.frame !== frame;
  }

  private handshake(frame: Frame, source: Window, call: RpcCall, reason: string | null): void {
    const answer = reason === null ? { ack: true } : { ack: false, reason };
    if (reason !== null) {
      this.post(source, frame.targetOrigin, { chanId: call.chanId, rpc: call.rpc, replyTo: call.id, payload: answer });
      return;
    }
    // One channel per iframe: a new handshake means a new document in it.
    if (frame.channel) this.dropChannel(frame.channel);
    const channel: Channel = { chanId: call.chanId, frame, window: source };
    frame.channel = channel;
    this.channels.set(call.chanId, channel);
    this.reply(channel, call, answer);
    const send = this.sender(channel);
    send('event:languageSelect', this.language);
    if (this.call && (frame.kind === 'widget' || this.memory.authenticated)) {
      replayCall(this.call.binding.session, this.memory, send);
    }
  }

  private reply(channel: Channel, call: RpcCall, payload: unknown): void {
    if (this.channels.get(channel.chanId) !== channel) return; // gone meanwhile
    this.post(channel.window, channel.frame.targetOrigin, {
      chanId: channel.chanId,
      rpc: call.rpc,
      replyTo: call.id,
      payload,
    });
  }

  private post(target: Window, targetOrigin: string, message: unknown): void {
    try {
      target.postMessage(message, targetOrigin);
    } catch {
      // An uncloneable payload or a closed window: nothing to deliver.
    }
  }

  private sender(channel: Channel) {
    return <T extends PluginEventName>(event: T, payload: EventPayload<T>): void => {
      if (this.channels.get(channel.chanId) !== channel) return;
      this.post(channel.window, channel.frame.targetOrigin, { chanId: channel.chanId, event, payload });
    };
  }

  private readonly broadcast = <T extends PluginEventName>(event: T, payload: EventPayload<T>): void => {
    for (const channel of this.channels.values()) this.sender(channel)(event, payload);
  };

  private sendTo(chanId: string, event: PluginEventName, payload: unknown): void {
    const channel = this.channels.get(chanId);
    if (channel) this.sender(channel)(event, payload as never);
  }

  // ---- UI RPCs ---------------------------------------------------------------------------

  private handleUiRpc(channel: Channel, call: RpcCall & { rpc: UiRpc }): unknown {
    const { frame, chanId } = channel;
    const payload = call.payload;
    const owner = (id: string) => ({
      id,
      chanId,
      pluginId: frame.pluginId,
      order: this.nextOrder(frame),
      base: frame.base,
    });
    switch (call.rpc) {
      case 'ui:button:add': {
        if (this.countOf(chanId) >= MAX_ELEMENTS_PER_CHANNEL) return failed(call.id, 'Too many elements');
        const checked = checkButton(payload, owner(newElementId()));
        if (!checked.ok) return failed(call.id, checked.reason);
        this.update({ ...this.state, buttons: sortByOrder([...this.state.buttons, checked.value]) });
        return ok(checked.value.id);
      }
      case 'ui:button:update': {
        const targetId = isRecord(payload) ? payload.targetId : undefined;
        const current = this.state.buttons.find((button) => button.id === targetId && button.chanId === chanId);
        if (!current) return failed(call.id, 'Button not found');
        const checked = checkButton(payload, { ...owner(current.id), order: current.order });
        if (!checked.ok) return failed(call.id, checked.reason);
        this.update({
          ...this.state,
          buttons: this.state.buttons.map((button) => (button === current ? checked.value : button)),
        });
        return ok(current.id);
      }
      case 'ui:removeElement': {
        const id = isRecord(payload) ? payload.id : undefined;
        return typeof id === 'string' && this.removeElement(chanId, id) ? ok(id) : failed(call.id, 'Element not found');
      }
      case 'ui:form:open':
      case 'ui:prompt:open': {
        if (this.countOf(chanId) >= MAX_ELEMENTS_PER_CHANNEL) return failed(call.id, 'Too many elements');
        const checked = modalOf(call.rpc, payload);
        if (!checked.ok) return failed(call.id, checked.reason);
        const id = newElementId();
        const modal: PluginModal = { ...checked.value, id, chanId, order: this.nextOrder(frame), dismissed: false };
        this.update({ ...this.state, modals: [...this.state.modals, modal] });
        return ok(id);
      }
      case 'ui:toast:show': {
        const checked = checkToast(payload, newElementId());
        if (!checked.ok) return failed(call.id, checked.reason);
        this.showToast(checked.value);
        return ok(checked.value.id);
      }
      case 'ui:widget:add': {
        if (frame.kind !== 'plugin') return failed(call.id, 'Widgets cannot add widgets');
        if (this.countOf(chanId) >= MAX_ELEMENTS_PER_CHANNEL) return failed(call.id, 'Too many elements');
        const checked = checkWidget(payload, { ...owner(newElementId()), sandbox: frame.sandbox, allow: frame.allow });
        if (!checked.ok) return failed(call.id, checked.reason);
        if (
          originOf(checked.value.src, this.appOrigin) === this.appOrigin &&
          frame.sandbox.includes('allow-same-origin')
        ) {
          return failed(call.id, 'A widget may not be served from the app itself');
        }
        this.update({ ...this.state, widgets: sortByOrder([...this.state.widgets, checked.value]) });
        return ok(checked.value.id);
      }
      case 'ui:widget:toggle':
      case 'ui:plugin:toggle': {
        // 19.x: `togglePlugin({id})` showed an iframe the plugin made with its own
        // iframeManager. That needs the host to reach into the plugin's window, which a
        // sandboxed plugin on its own origin forbids; a widget of the same id is toggled.
        const id = isRecord(payload) ? payload.id : undefined;
        const widget = this.state.widgets.find((w) => w.id === id && w.chanId === chanId);
        if (!widget) {
          const missing =
            call.rpc === 'ui:widget:toggle' ? 'Widget not found' : 'No panel with that id: add it with ui:widget:add';
          return failed(call.id, missing);
        }
        this.setWidgetVisible(widget.id, !widget.visible, 'self');
        return ok(widget.id);
      }
      case 'app:setDisconnectDestination': {
        const checked = checkDestination(payload);
        if (!checked.ok) return failed(call.id, checked.reason);
        this.destination = checked.value;
        return ok(call.id);
      }
    }
  }

  private nextOrder(frame: Frame): number {
    this.seq += 1;
    return frame.index * 1_000_000 + this.seq;
  }

  private countOf(chanId: string): number {
    const { buttons, modals, widgets } = this.state;
    return [...buttons, ...modals, ...widgets].filter((element) => element.chanId === chanId).length;
  }

  private removeElement(chanId: string, id: string): boolean {
    const { buttons, modals, widgets } = this.state;
    const keep = <T extends { id: string; chanId: string }>(list: T[]) =>
      list.filter((e) => !(e.id === id && e.chanId === chanId));
    const next = { ...this.state, buttons: keep(buttons), modals: keep(modals), widgets: keep(widgets) };
    if (
      next.buttons.length + next.modals.length + next.widgets.length ===
      buttons.length + modals.length + widgets.length
    ) {
      return false;
    }
    this.update(next);
    return true;
  }

  // ---- what the person does --------------------------------------------------------------

  /** A click on a plugin's button (or, with `popup`, on one item of its group). */
  clickButton(button: PluginButton, input: unknown, popup: PopupRequest | undefined = button.opensPopup): void {
    const plugin = this.pluginFrame(button.pluginId);
    if (popup && plugin?.sandbox.includes('allow-popups')) this.openPopup(plugin, popup);
    this.sendTo(button.chanId, 'ui:button:click', { buttonId: button.id, input });
  }

  /**
   * Webapp3 calls `window.plugin.popupManager.open(id, openParams)` in the plugin's own
   * window (plugin-api dist/utils.js createPopupManager), so the popup's `window.opener` is the
   * plugin. A plugin on an origin of its own cannot be reached that way: the page opens the
   * popup during the click (the only moment a browser lets it), keeps `opener` (no
   * `noopener`), and passes what the popup posts to its opener on to the plugin's window.
   * One popup per id at a time, as popupManager does.
   */
  private openPopup(plugin: Frame, popup: PopupRequest): void {
    for (const [open, frame] of this.popups) {
      if (open.closed) this.popups.delete(open);
      else if (frame === plugin && this.popupIds.get(open) === popup.id) return open.focus();
    }
    const opened = window.open(popup.url, popup.target, popup.features || undefined);
    if (!opened) return;
    this.popups.set(opened, plugin);
    this.popupIds.set(opened, popup.id);
  }

  private readonly popupIds = new WeakMap<Window, string>();

  /** What a plugin's popup posted to `window.opener`, handed to that plugin's window as is. */
  private relayFromPopup(plugin: Frame, data: unknown): void {
    if (!this.frames.has(plugin) || !plugin.iframe.contentWindow) return;
    // A popup's message never looks like the host's own (a reply or an event of a channel).
    if (isRecord(data) && 'chanId' in data) return;
    this.post(plugin.iframe.contentWindow, plugin.targetOrigin, data);
  }

  submitForm(modalId: string, values: Record<string, FieldValue>): void {
    const modal = this.state.modals.find((m) => m.id === modalId);
    if (!modal || modal.kind !== 'form') return;
    const input: FormInput = typedFormInput(modal.spec.elements, values);
    this.sendTo(modal.chanId, 'ui:form:input', { modalId, input });
  }

  answerPrompt(modalId: string, action: string): void {
    const modal = this.state.modals.find((m) => m.id === modalId);
    if (!modal || modal.kind !== 'prompt') return;
    this.sendTo(modal.chanId, 'ui:prompt:input', { modalId, input: action });
  }

  /** The person closed a form or prompt without answering: hidden, still the plugin's to remove. */
  dismissModal(modalId: string): void {
    this.update({
      ...this.state,
      modals: this.state.modals.map((modal) => (modal.id === modalId ? { ...modal, dismissed: true } : modal)),
    });
  }

  private showToast(toast: UiState['toasts'][number] & { isInterrupt: boolean }): void {
    const { isInterrupt, ...shown } = toast;
    const [current, ...queue] = this.state.toasts;
    if (isInterrupt && current) {
      // A toast that stays (timeout 0) is not interrupted: the interrupting one is dropped.
      if (current.timeout === 0) return;
      this.update({ ...this.state, toasts: [shown, ...queue] });
      return;
    }
    if (this.state.toasts.length > MAX_QUEUED_TOASTS) return;
    this.update({ ...this.state, toasts: [...this.state.toasts, shown] });
  }

  dismissToast(id: string): void {
    this.update({ ...this.state, toasts: this.state.toasts.filter((toast) => toast.id !== id) });
  }

  /** The header close button of a widget. */
  closeWidget(widget: PluginWidget): void {
    if (widget.closeOnlyOnRequest) {
      this.sendTo(widget.chanId, 'ui:widget:onToggle', {
        widgetId: widget.id,
        isVisible: widget.visible,
        isRequest: true,
        trigger: 'headerCloseButton',
      });
      return;
    }
    this.setWidgetVisible(widget.id, false, 'headerCloseButton');
  }

  private setWidgetVisible(id: string, visible: boolean, trigger: 'self' | 'headerCloseButton'): void {
    const closed: PluginWidget[] = [];
    const widgets = this.state.widgets.map((widget) => {
      if (widget.id === id) return { ...widget, visible };
      // One side panel at a time: opening one closes the other.
      if (
        visible &&
        widget.visible &&
        widget.type === 'sidePanel' &&
        this.state.widgets.find((w) => w.id === id)?.type === 'sidePanel'
      ) {
        closed.push(widget);
        return { ...widget, visible: false };
      }
      return widget;
    });
    this.update({ ...this.state, widgets });
    const target = widgets.find((w) => w.id === id);
    if (target) {
      this.sendTo(target.chanId, 'ui:widget:onToggle', { widgetId: id, isVisible: visible, isRequest: false, trigger });
    }
    for (const other of closed) {
      this.sendTo(other.chanId, 'ui:widget:onToggle', {
        widgetId: other.id,
        isVisible: false,
        isRequest: false,
        trigger: 'anotherSidePanel',
      });
    }
  }

  // ---- widget iframes (rendered by React) ------------------------------------------------

  /** A widget's iframe is in the page (or, with null, gone). */
  widgetFrame(widget: PluginWidget, iframe: HTMLIFrameElement | null): void {
    const existing = this.widgetFrames.get(widget.id);
    if (existing && existing.iframe !== iframe) {
      this.widgetFrames.delete(widget.id);
      this.removeFrame(existing);
    }
    if (!iframe || existing?.iframe === iframe) return;
    const plugin = this.pluginFrame(widget.pluginId);
    if (!plugin) return;
    const frame: Frame = {
      kind: 'widget',
      pluginId: widget.pluginId,
      index: plugin.index,
      iframe,
      sandbox: widget.sandbox,
      allow: plugin.allow,
      base: widget.src,
      targetOrigin: this.targetOf(widget.src, widget.sandbox),
      widgetId: widget.id,
    };
    this.frames.add(frame);
    this.widgetFrames.set(widget.id, frame);
  }

  widgetLoaded(widget: PluginWidget): void {
    this.sendTo(widget.chanId, 'ui:widget:onLoad', { widgetId: widget.id });
  }

  // ---- frames and channels ---------------------------------------------------------------

  private targetOf(src: string, sandbox: string[]): string {
    return sandbox.includes('allow-same-origin') ? originOf(src, this.appOrigin) || '*' : '*';
  }

  private frameOf(source: MessageEventSource): Frame | undefined {
    for (const frame of this.frames) if (frame.iframe.contentWindow === source) return frame;
    return undefined;
  }

  private pluginFrame(pluginId: string): Frame | undefined {
    for (const frame of this.frames) if (frame.kind === 'plugin' && frame.pluginId === pluginId) return frame;
    return undefined;
  }

  private removeFrame(frame: Frame): void {
    if (frame.channel) this.dropChannel(frame.channel);
    for (const [popup, owner] of this.popups) if (owner === frame) this.popups.delete(popup);
    this.frames.delete(frame);
    if (frame.widgetId) this.widgetFrames.delete(frame.widgetId);
    if (frame.kind === 'plugin') frame.iframe.remove();
  }

  /** A channel ends: everything it put on screen goes, and a plugin's widgets with it. */
  private dropChannel(channel: Channel): void {
    this.channels.delete(channel.chanId);
    if (channel.frame.channel === channel) delete channel.frame.channel;
    const chanId = channel.chanId;
    const mine = <T extends { chanId: string }>(list: T[]) => list.filter((element) => element.chanId !== chanId);
    const goneWidgets = this.state.widgets.filter((widget) => widget.chanId === chanId);
    this.update({
      ...this.state,
      buttons: mine(this.state.buttons),
      modals: mine(this.state.modals),
      widgets: mine(this.state.widgets),
    });
    for (const widget of goneWidgets) {
      const frame = this.widgetFrames.get(widget.id);
      if (frame) this.removeFrame(frame);
    }
  }

  private update(next: UiState): void {
    this.state = next;
    for (const listener of this.listeners) listener();
  }
}

const sortByOrder = <T extends { order: number }>(list: T[]): T[] => [...list].sort((a, b) => a.order - b.order);
