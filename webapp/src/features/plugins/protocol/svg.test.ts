import { describe, expect, it } from 'vitest';

import { sanitizeSvg, type SvgNode } from './svg';

const tags = (node: SvgNode): string[] => [node.tag, ...node.children.flatMap(tags)];
const allAttrs = (node: SvgNode): string[] => [...Object.keys(node.attrs), ...node.children.flatMap(allAttrs)];

describe('sanitizeSvg', () => {
  it('keeps shapes and presentation attributes, as React props', () => {
    const node = sanitizeSvg(
      '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><!-- c --><g fill-rule="evenodd"><path d="M0 0h24v24H0z" stroke-width="2"/></g></svg>',
    );
    expect(node).toEqual({
      tag: 'svg',
      attrs: { viewBox: '0 0 24 24' },
      children: [
        {
          tag: 'g',
          attrs: { fillRule: 'evenodd' },
          children: [{ tag: 'path', attrs: { d: 'M0 0h24v24H0z', strokeWidth: '2' }, children: [] }],
        },
      ],
    });
  });

  it('drops scripts, foreign content, links, styles and handlers', () => {
    const node = sanitizeSvg(
      '<svg viewBox="0 0 1 1" onload="alert(1)" style="x"><script>alert(1)</script><foreignObject><div/></foreignObject>' +
        '<a href="javascript:alert(1)"><path d="M0 0"/></a><use href="http://evil/x.svg#a"/><image href="http://evil/x.png"/>' +
        '<style>*{}</style><path d="M1 1" onclick="x()" xlink:href="#a" class="c"/></svg>',
    );
    expect(node && tags(node)).toEqual(['svg', 'path']);
    expect(node && allAttrs(node)).toEqual(['viewBox', 'd']);
  });

  it('keeps only local references, and prefixes ids so icons cannot share them', () => {
    const node = sanitizeSvg(
      '<svg><defs><linearGradient id="g"><stop offset="0" stop-color="#fff"/></linearGradient></defs>' +
        '<rect fill="url(#g)" width="1" height="1"/><rect fill="url(http://evil/x)" width="2"/><rect fill="url(javascript:x)"/></svg>',
      'p1-',
    );
    const [defs, local, external] = node?.children ?? [];
    expect(defs?.children[0]?.attrs.id).toBe('p1-g');
    expect(local?.attrs.fill).toBe('url(#p1-g)');
    expect(external?.attrs).toEqual({ width: '2' });
  });

  it('refuses what is not plain well-formed SVG', () => {
    for (const source of [
      '',
      'not svg',
      '<html><body/></html>',
      '<svg><path d="M0 0"></svg>',
      '<svg></svg><svg></svg>',
      '<!DOCTYPE svg [<!ENTITY x "boom">]><svg>&x;</svg>',
      '<svg><![CDATA[ x ]]></svg>',
      '<svg>&unknown;</svg>',
      `<svg>${'<g>'.repeat(40)}${'</g>'.repeat(40)}</svg>`,
      `<svg>${'x'.repeat(30_000)}</svg>`,
      42,
    ]) {
      expect(sanitizeSvg(source)).toBeNull();
    }
  });
});
