import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type DefaultTreeAdapterMap, parse } from 'parse5';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';

type Element = DefaultTreeAdapterMap['element'];
type Node = DefaultTreeAdapterMap['node'];

/** Probot's own setup-page code (not exported by its package, so loaded by path). */
async function probotSetup() {
  const lib = (file: string) => pathToFileURL(resolve('node_modules/probot/lib', file)).href;
  const { ManifestCreation } = await import(lib('manifest-creation.js'));
  const { setupView } = await import(lib('views/setup.js'));
  return { ManifestCreation, setupView } as {
    ManifestCreation: new () => {
      getManifest(options: { pkg: object; baseUrl: string; readFileSync: () => string }): string;
    };
    setupView(params: Record<string, string>): string;
  };
}

function findById(node: Node, id: string): Element | null {
  if ('attrs' in node && node.attrs.some((attr) => attr.name === 'id' && attr.value === id)) return node;
  for (const child of 'childNodes' in node ? node.childNodes : []) {
    const found = findById(child, id);
    if (found !== null) return found;
  }
  return null;
}

/**
 * `npx probot run` with no App shows a setup page whose Register button posts `app.yml` as JSON.
 * Probot writes that JSON into `value='…'` unescaped, so this builds the page the way Probot does
 * and reads the button's value the way a browser does (parse5, an HTML5 parser).
 */
describe('app.yml on Probot’s setup page', () => {
  it('posts the whole manifest as valid JSON when the Register button is pressed', async () => {
    const text = readFileSync('app.yml', 'utf8');
    const { ManifestCreation, setupView } = await probotSetup();
    const manifest = new ManifestCreation().getManifest({
      pkg: { name: 'lakeflow-connector-bot', description: 'x' },
      baseUrl: 'http://localhost:3000',
      readFileSync: () => text,
    });
    const page = setupView({
      name: 'lakeflow-connector-bot',
      version: '0',
      description: 'x',
      createAppUrl: 'x',
      manifest,
    });

    const button = findById(parse(page), 'manifest');
    const posted = button?.attrs.find((attr) => attr.name === 'value')?.value ?? '';

    expect(() => JSON.parse(posted)).not.toThrow();
    expect(JSON.parse(posted)).toMatchObject(parseYaml(text));
  });
});
