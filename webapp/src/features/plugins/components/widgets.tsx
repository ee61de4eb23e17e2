import { type CSSProperties, type PointerEvent, useEffectEvent, useLayoutEffect, useState } from 'react';

import { useT } from '@/lib/i18n';

import type { PluginHost } from '../host/plugin-host';
import type { PluginWidget, WidgetDimension } from '../host/ui-state';
import { useUiState } from '../use-ui-state';

/** @pexip/plugin-api's breakpoints (min widths in px). */
const BREAKPOINTS: [string, number][] = [
  ['xl', 2000],
  ['lg', 1025],
  ['md', 744],
  ['sm', 479],
  ['xs', 0],
];

/**
 * A size for the current window: a plain CSS size, or from a breakpoint map the mobile
 * entries first (when they apply), else the largest breakpoint the window has reached.
 */
export const resolveDimension = (
  dimension: WidgetDimension | undefined,
  width: number,
  height: number,
): string | undefined => {
  if (dimension === undefined || typeof dimension === 'string') return dimension;
  const mobile = Math.min(width, height) < 480;
  if (mobile && height >= width && dimension.mobilePortrait) return dimension.mobilePortrait;
  if (mobile && width > height && dimension.mobileLandscape) return dimension.mobileLandscape;
  for (const [name, min] of BREAKPOINTS) {
    if (width >= min && dimension[name]) return dimension[name];
  }
  return undefined;
};

const WidgetFrame = ({ host, widget }: { host: PluginHost; widget: PluginWidget }) => {
  const [iframe, ref] = useState<HTMLIFrameElement | null>(null);
  const register = useEffectEvent((frame: HTMLIFrameElement | null) => host.widgetFrame(widget, frame));
  // Once per widget and iframe, as the iframe is placed (a layout effect: before it can load).
  useLayoutEffect(() => {
    if (!iframe) return undefined;
    register(iframe);
    return () => register(null);
  }, [host, widget.id, iframe]);
  return (
    <iframe
      ref={ref}
      className="plugin-widget__frame"
      data-testid="plugin-widget-frame"
      title={widget.title}
      src={widget.src}
      sandbox={widget.sandbox.join(' ')}
      {...(widget.allow ? { allow: widget.allow } : {})}
      referrerPolicy="no-referrer"
      onLoad={() => host.widgetLoaded(widget)}
    />
  );
};

const Header = ({
  host,
  widget,
  onPointerDown,
}: {
  host: PluginHost;
  widget: PluginWidget;
  onPointerDown?: (event: PointerEvent<HTMLElement>) => void;
}) => (
  <div
    className={widget.draggable ? 'plugin-widget__header plugin-widget__header--drag' : 'plugin-widget__header'}
    onPointerDown={onPointerDown}
  >
    <h2 className="plugin-widget__title">{widget.title}</h2>
    <button
      type="button"
      className="plugin-widget__close"
      data-testid="plugin-widget-close"
      aria-label={`Luk ${widget.title}`}
      onClick={() => host.closeWidget(widget)}
    >
      ×
    </button>
  </div>
);

const Floating = ({ host, widget }: { host: PluginHost; widget: PluginWidget }) => {
  const [offset, setOffset] = useState({ x: 0, y: 0 });
  const handlePointerDown = (event: PointerEvent<HTMLElement>) => {
    if (!widget.draggable || (event.target as HTMLElement).closest('button')) return;
    const start = { x: event.clientX - offset.x, y: event.clientY - offset.y };
    const target = event.currentTarget;
    target.setPointerCapture(event.pointerId);
    const move = (moveEvent: globalThis.PointerEvent) =>
      setOffset({ x: moveEvent.clientX - start.x, y: moveEvent.clientY - start.y });
    const up = () => {
      target.removeEventListener('pointermove', move);
      target.removeEventListener('pointerup', up);
    };
    target.addEventListener('pointermove', move);
    target.addEventListener('pointerup', up);
  };
  const width = resolveDimension(widget.width, window.innerWidth, window.innerHeight);
  const height = resolveDimension(widget.height, window.innerWidth, window.innerHeight);
  const style: CSSProperties = {
    ...(width ? { width } : {}),
    ...(height ? { height } : {}),
    translate: `${offset.x}px ${offset.y}px`,
  };
  return (
    <section
      className={`plugin-widget plugin-floating plugin-floating--${widget.position}`}
      data-testid="plugin-widget"
      data-widget-type="floating"
      aria-label={widget.title}
      hidden={!widget.visible}
      style={style}
    >
      <Header host={host} widget={widget} onPointerDown={handlePointerDown} />
      <WidgetFrame host={host} widget={widget} />
    </section>
  );
};

/**
 * The plugins' widgets in the call view: side panels beside the video (one shown at a
 * time), floating ones above it. Hidden widgets stay loaded, as in Webapp3.
 */
export const CallWidgets = ({ host }: { host: PluginHost }) => {
  const t = useT();
  const { widgets } = useUiState(host);
  const side = widgets.filter((widget) => widget.type === 'sidePanel');
  const floating = widgets.filter((widget) => widget.type === 'floating');
  if (widgets.length === 0) return null;
  return (
    <>
      <aside className="plugin-panel" hidden={!side.some((widget) => widget.visible)} aria-label={t('plugins.panel')}>
        {side.map((widget) => (
          <section
            key={widget.id}
            className="plugin-widget"
            data-testid="plugin-widget"
            data-widget-type="sidePanel"
            aria-label={widget.title}
            hidden={!widget.visible}
          >
            <Header host={host} widget={widget} />
            <WidgetFrame host={host} widget={widget} />
          </section>
        ))}
      </aside>
      {floating.map((widget) => (
        <Floating key={widget.id} host={host} widget={widget} />
      ))}
    </>
  );
};
