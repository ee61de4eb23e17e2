// The API's TypeScript types, generated from the BFF's OpenAPI document as the app builds it
// (webapp/scripts/openapi_schema.py: no server needed) into src/lib/api-types.gen.ts.
//   npm run api-types --workspace webapp            write the file again
//   npm run api-types --workspace webapp -- --check fail when the schema changed and the
//                                                    file was not written again (`make lint`)
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import openapiTS, { astToString } from 'openapi-typescript';
import * as prettier from 'prettier';

const root = fileURLToPath(new URL('../../', import.meta.url));
const target = fileURLToPath(new URL('../src/lib/api-types.gen.ts', import.meta.url));
const python = process.env.PYTHON ?? `${root}.venv/bin/python`;

const HEADER = `/**
 * Generated from the BFF's OpenAPI document by webapp/scripts/api-types.mjs: do not edit.
 * After changing the API: npm run api-types --workspace webapp
 */
`;

/** The document without its examples: they are not types, and some are made from the clock. */
const withoutExamples = (node, parentKey = '') => {
  if (Array.isArray(node)) return node.map((item) => withoutExamples(item));
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node)
      // Under `properties` a key is a field's name, never an example.
      .filter(([key]) => parentKey === 'properties' || (key !== 'example' && key !== 'examples'))
      .map(([key, value]) => [key, withoutExamples(value, key)]),
  );
};

const schema = withoutExamples(
  JSON.parse(
    execFileSync(python, ['webapp/scripts/openapi_schema.py'], {
      cwd: root,
      env: { ...process.env, PYTHONPATH: root }, // this checkout's bff, whatever the venv installed
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }),
  ),
);
const generated = HEADER + astToString(await openapiTS(schema, { alphabetize: true }));
const options = { ...(await prettier.resolveConfig(target)), filepath: target };
const text = await prettier.format(generated, options);

if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(target, 'utf8');
  } catch {
    // missing: it differs
  }
  if (current !== text) {
    console.error(
      "webapp/src/lib/api-types.gen.ts is not the BFF's API as it is now: run `npm run api-types --workspace webapp` and commit it.",
    );
    process.exit(1);
  }
  console.log("api-types.gen.ts matches the BFF's OpenAPI document");
} else {
  writeFileSync(target, text);
  console.log(`wrote ${target}`);
}
