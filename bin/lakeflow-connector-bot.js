#!/usr/bin/env node
// The `lakeflow-connector-bot` command. In a clone (src/ present) it runs the TypeScript CLI through tsx, so
// no build step is needed; without src/ (a built image or package) it runs the compiled dist/cli/main.js.
import { existsSync } from 'node:fs';

const source = new URL('../src/cli/main.ts', import.meta.url);
if (existsSync(source)) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(source.href);
} else {
  await import(new URL('../dist/cli/main.js', import.meta.url).href);
}
