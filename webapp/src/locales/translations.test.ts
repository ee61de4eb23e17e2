/**
 * Every visible string is translated: message files agree, every key the code asks for
 * exists, and no text is written straight into the citizen's and staff's screens.
 */
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

import da from './da.json';
import en from './en.json';

type Tree = { [key: string]: string | Tree };

const flatten = (tree: Tree, prefix = ''): Map<string, string> => {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(path, value);
    else for (const [k, v] of flatten(value, path)) out.set(k, v);
  }
  return out;
};

const placeholders = (text: string): string[] =>
  [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1] ?? '').sort();

// Every source file's text, by its path under src/ ("features/call/...").
const SOURCES = Object.fromEntries(
  Object.entries(
    import.meta.glob<string>(['../**/*.ts', '../**/*.tsx', '!../**/*.test.ts', '!../**/*.test.tsx'], {
      query: '?raw',
      import: 'default',
      eager: true,
    }),
  ).map(([path, text]) => [path.replace(/^\.\.\//, ''), text]),
);
// Every screen of every app: the citizen's, the meeting (both sides), the staff portal, the
// tablet kiosk, the admin pages and the plugin host. Only the language switch names each
// language in itself (LANGUAGE_NAMES), which is no message.
const IN_SCOPE = ['components/', 'app/', 'features/'];
const VISIBLE_ATTRIBUTES = new Set(['aria-label', 'title', 'placeholder', 'alt', 'label', 'hint', 'heading']);
const LETTERS = /[A-Za-zÆØÅæøå]/;

const inScope = (path: string): boolean => IN_SCOPE.some((prefix) => path.startsWith(prefix));

interface Found {
  literals: string[];
  keys: { key: string; plural: boolean; where: string }[];
}

const scan = (path: string): Found => {
  const text = SOURCES[path] ?? '';
  const file = ts.createSourceFile(
    path,
    text,
    ts.ScriptTarget.Latest,
    true,
    path.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS,
  );
  const found: Found = { literals: [], keys: [] };
  const where = (node: ts.Node) => `${path}:${file.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
  const visit = (node: ts.Node) => {
    if (ts.isJsxText(node) && LETTERS.test(node.text)) found.literals.push(`${where(node)} "${node.text.trim()}"`);
    if (ts.isJsxAttribute(node) && VISIBLE_ATTRIBUTES.has(node.name.getText())) {
      const init = node.initializer;
      const literal = init && ts.isStringLiteral(init) ? init : null;
      const inBraces =
        init && ts.isJsxExpression(init) && init.expression && ts.isStringLiteral(init.expression)
          ? init.expression
          : null;
      const value = literal ?? inBraces;
      if (value && LETTERS.test(value.text))
        found.literals.push(`${where(node)} ${node.name.getText()}="${value.text}"`);
    }
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && ['t', 'tn'].includes(node.expression.text)) {
      const first = node.arguments[0];
      const plural = node.expression.text === 'tn';
      if (first && ts.isStringLiteral(first)) found.keys.push({ key: first.text, plural, where: where(node) });
      if (first && ts.isConditionalExpression(first)) {
        for (const branch of [first.whenTrue, first.whenFalse]) {
          if (ts.isStringLiteral(branch)) found.keys.push({ key: branch.text, plural, where: where(node) });
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
};

describe('message files', () => {
  const danish = flatten(da as Tree);
  const english = flatten(en as Tree);

  it('have the same keys', () => {
    expect([...english.keys()].filter((k) => !danish.has(k))).toEqual([]);
    expect([...danish.keys()].filter((k) => !english.has(k))).toEqual([]);
  });

  it('have no empty messages and the same placeholders', () => {
    for (const [key, text] of danish) {
      expect(text.trim(), key).not.toBe('');
      expect(placeholders(english.get(key) ?? ''), key).toEqual(placeholders(text));
    }
  });
});

describe('the screens', () => {
  const files = Object.keys(SOURCES).filter(inScope);

  it('finds the sources', () => {
    expect(files).toContain('features/call/components/in-call-view.tsx');
  });
  const danish = flatten(da as Tree);

  it('write no text of their own: every visible string goes through t()', () => {
    const literals = files.flatMap((path) => scan(path).literals);
    expect(literals).toEqual([]);
  });

  it('ask only for keys the message files have', () => {
    const missing = files
      .flatMap((path) => scan(path).keys)
      .filter(({ key, plural }) =>
        plural ? !danish.has(`${key}_one`) || !danish.has(`${key}_other`) : !danish.has(key),
      )
      .map(({ key, where }) => `${where} ${key}`);
    expect(missing).toEqual([]);
  });
});
