/**
 * Custom toolbar icons come from plugins as raw SVG text. They are never put into the page
 * as markup: this strict allow-list parser turns them into a small tree of known shape
 * elements and presentation attributes, which React renders. Every other element is
 * dropped with its subtree (script, style, foreignObject, use, image, a, text, ...), every
 * other attribute is dropped (on*, href, xlink:href, style, class), and so is a value that
 * refers outside the icon. A document that is not plain well-formed SVG (custom entities,
 * a DOCTYPE with an internal subset, CDATA, unbalanced tags) is refused whole.
 */

export interface SvgNode {
  tag: string;
  /** React prop names → values. */
  attrs: Record<string, string>;
  children: SvgNode[];
}

const ELEMENTS = new Set([
  'svg',
  'g',
  'path',
  'circle',
  'ellipse',
  'line',
  'polyline',
  'polygon',
  'rect',
  'defs',
  'linearGradient',
  'radialGradient',
  'stop',
  'clipPath',
  'mask',
]);

/** SVG attribute → React prop. */
const ATTRIBUTES: Record<string, string> = {
  viewBox: 'viewBox',
  width: 'width',
  height: 'height',
  x: 'x',
  y: 'y',
  x1: 'x1',
  x2: 'x2',
  y1: 'y1',
  y2: 'y2',
  cx: 'cx',
  cy: 'cy',
  r: 'r',
  rx: 'rx',
  ry: 'ry',
  fx: 'fx',
  fy: 'fy',
  d: 'd',
  points: 'points',
  offset: 'offset',
  id: 'id',
  fill: 'fill',
  'fill-rule': 'fillRule',
  'fill-opacity': 'fillOpacity',
  stroke: 'stroke',
  'stroke-width': 'strokeWidth',
  'stroke-linecap': 'strokeLinecap',
  'stroke-linejoin': 'strokeLinejoin',
  'stroke-miterlimit': 'strokeMiterlimit',
  'stroke-dasharray': 'strokeDasharray',
  'stroke-dashoffset': 'strokeDashoffset',
  'stroke-opacity': 'strokeOpacity',
  'clip-rule': 'clipRule',
  'clip-path': 'clipPath',
  mask: 'mask',
  opacity: 'opacity',
  transform: 'transform',
  'stop-color': 'stopColor',
  'stop-opacity': 'stopOpacity',
  gradientUnits: 'gradientUnits',
  gradientTransform: 'gradientTransform',
  spreadMethod: 'spreadMethod',
  preserveAspectRatio: 'preserveAspectRatio',
  'vector-effect': 'vectorEffect',
  'shape-rendering': 'shapeRendering',
  clipPathUnits: 'clipPathUnits',
  maskUnits: 'maskUnits',
  maskContentUnits: 'maskContentUnits',
};

export const MAX_SVG_LENGTH = 20_000;
const MAX_NODES = 400;
const MAX_DEPTH = 16;

/** Plain values only: numbers, colours, paths, transforms, and `url(#local-id)`. */
const SAFE_VALUE = /^[\w\s.,#%()+-]*$/;
const URL_REF = /url\(\s*#([\w-]+)\s*\)/g;

const safeValue = (value: string): boolean => {
  if (!SAFE_VALUE.test(value) || value.length > 10_000) return false;
  const withoutRefs = value.replace(URL_REF, '');
  return !/url|expression|javascript/i.test(withoutRefs);
};

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

const decode = (text: string): string | null => {
  let failed = false;
  const out = text.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (_, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return code > 0 && code < 0x110000 ? String.fromCodePoint(code) : ((failed = true), '');
    }
    const known = ENTITIES[name];
    if (known === undefined) failed = true;
    return known ?? '';
  });
  return failed || out.includes('&') ? null : out;
};

class Refused extends Error {}

/**
 * Parses `source` into a sanitised tree, or returns null when it is not acceptable SVG.
 * `idPrefix` is put before every id (and the local references to them) so two icons on one
 * page cannot refer to each other's gradients.
 */
export const sanitizeSvg = (source: unknown, idPrefix = ''): SvgNode | null => {
  if (typeof source !== 'string' || source.length === 0 || source.length > MAX_SVG_LENGTH) return null;
  try {
    const root = new Parser(source, idPrefix).parse();
    return root.tag === 'svg' ? root : null;
  } catch (error) {
    if (error instanceof Refused) return null;
    throw error;
  }
};

class Parser {
  private pos = 0;
  private nodes = 0;

  constructor(
    private readonly src: string,
    private readonly idPrefix: string,
  ) {}

  parse(): SvgNode {
    this.skipProlog();
    const root = this.element(0);
    if (!root) throw new Refused();
    this.skipMisc();
    if (this.pos !== this.src.length) throw new Refused();
    return root;
  }

  private skipProlog(): void {
    this.skipMisc();
    if (this.src.startsWith('<?xml', this.pos)) {
      const end = this.src.indexOf('?>', this.pos);
      if (end < 0) throw new Refused();
      this.pos = end + 2;
    }
    this.skipMisc();
    if (this.src.startsWith('<!DOCTYPE', this.pos)) {
      // An internal subset can declare entities: refuse it rather than guess.
      const end = this.src.indexOf('>', this.pos);
      if (end < 0 || this.src.slice(this.pos, end).includes('[')) throw new Refused();
      this.pos = end + 1;
    }
    this.skipMisc();
  }

  /** Whitespace and comments. */
  private skipMisc(): void {
    for (;;) {
      while (this.pos < this.src.length && /\s/.test(this.src[this.pos] ?? '')) this.pos += 1;
      if (!this.src.startsWith('<!--', this.pos)) return;
      const end = this.src.indexOf('-->', this.pos + 4);
      if (end < 0) throw new Refused();
      this.pos = end + 3;
    }
  }

  /** One element at `pos` (which is at '<'); null when the element is skipped. */
  private element(depth: number): SvgNode | null {
    if (depth > MAX_DEPTH || (this.nodes += 1) > MAX_NODES) throw new Refused();
    const open = /^<([A-Za-z][\w:.-]*)/.exec(this.src.slice(this.pos, this.pos + 100));
    if (!open?.[1]) throw new Refused();
    const tag = open[1];
    this.pos += open[0].length;
    const raw = this.attributes();
    let selfClosing = false;
    if (this.src.startsWith('/>', this.pos)) {
      selfClosing = true;
      this.pos += 2;
    } else if (this.src[this.pos] === '>') {
      this.pos += 1;
    } else {
      throw new Refused();
    }
    const children: SvgNode[] = [];
    if (!selfClosing) this.content(tag, depth, children);
    if (!ELEMENTS.has(tag)) return null;
    return { tag, attrs: this.cleanAttributes(raw), children };
  }

  private attributes(): [string, string][] {
    const found: [string, string][] = [];
    const pattern = /^\s+([A-Za-z_:][\w:.-]*)\s*=\s*("([^"<]*)"|'([^'<]*)')/;
    for (;;) {
      const match = pattern.exec(this.src.slice(this.pos, this.pos + 12_000));
      if (!match?.[1]) break;
      const value = decode(match[3] ?? match[4] ?? '');
      if (value === null) throw new Refused();
      found.push([match[1], value]);
      this.pos += match[0].length;
    }
    while (/\s/.test(this.src[this.pos] ?? '')) this.pos += 1;
    return found;
  }

  /** Children and text up to the matching end tag. Text is dropped (icons have none). */
  private content(tag: string, depth: number, children: SvgNode[]): void {
    for (;;) {
      const next = this.src.indexOf('<', this.pos);
      if (next < 0) throw new Refused();
      if (decode(this.src.slice(this.pos, next)) === null) throw new Refused();
      this.pos = next;
      if (this.src.startsWith('<!--', this.pos)) {
        this.skipMisc();
        continue;
      }
      if (this.src.startsWith('</', this.pos)) {
        const close = new RegExp(`^</${tag.replace(/[.]/g, '\\.')}\\s*>`).exec(
          this.src.slice(this.pos, this.pos + 120),
        );
        if (!close) throw new Refused();
        this.pos += close[0].length;
        return;
      }
      if (this.src.startsWith('<!', this.pos) || this.src.startsWith('<?', this.pos)) throw new Refused();
      const child = this.element(depth + 1);
      if (child) children.push(child);
    }
  }

  private cleanAttributes(raw: [string, string][]): Record<string, string> {
    const attrs: Record<string, string> = {};
    for (const [name, value] of raw) {
      const prop = ATTRIBUTES[name];
      if (prop === undefined || !safeValue(value)) continue;
      attrs[prop] =
        prop === 'id'
          ? `${this.idPrefix}${value}`
          : value.replace(URL_REF, (_, ref: string) => `url(#${this.idPrefix}${ref})`);
    }
    return attrs;
  }
}
