/** The page's escaping: text from the warehouse and inlined libraries cannot break out of their elements. */
import { expect, test } from 'vitest';
import { escapeHtml } from '../../src/dashboard/html.ts';
import { scriptSafe } from '../../src/dashboard/page.ts';
import { vegaBrowserLibraries } from '../../src/dashboard/vega-libraries.ts';

test('escapeHtml escapes markup and quotes', () => {
  expect(escapeHtml(`<b>"tv" & 'radio'</b>`)).toBe('&lt;b&gt;&quot;tv&quot; &amp; &#39;radio&#39;&lt;/b&gt;');
});

test('scriptSafe neutralises closing tags and comment openers, whatever their case', () => {
  const source = `const a = "</script><script>alert(1)</script>"; const b = '<!--'; const c = "</SCRIPT>";`;
  const safe = scriptSafe(source);
  expect(safe).not.toMatch(/<\/script/i);
  expect(safe).not.toContain('<!--');
  // The escapes leave the JavaScript strings' values unchanged.
  expect(safe).toBe(`const a = "<\\/script><script>alert(1)<\\/script>"; const b = '<\\!--'; const c = "<\\/SCRIPT>";`);
});

test('the browser builds of vega, vega-lite and vega-embed are found, in load order', () => {
  const libraries = vegaBrowserLibraries();
  expect(libraries.map((l) => l.name)).toEqual(['vega', 'vega-lite', 'vega-embed']);
  for (const library of libraries) {
    expect(library.version, library.name).toMatch(/^\d+\.\d+\.\d+/);
    expect(library.source.length, library.name).toBeGreaterThan(50_000);
  }
  // The UMD builds define the globals the page script uses.
  expect(libraries[2].source).toContain('vegaEmbed');
});
