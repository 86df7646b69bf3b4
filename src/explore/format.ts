/** Plain-text rendering of exploration results for the terminal: amounts and aligned tables. */

/** 1234567.8 -> "1,234,568"; small magnitudes keep 3 significant digits (0.0123, 2.35). */
export function formatAmount(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 100) return Math.round(value).toLocaleString('en-US');
  return Number(value.toPrecision(3)).toString();
}

/** 5274000 -> "5.27M", 2800000 -> "2.8M", 950 -> "950": 3 significant digits with K / M / B, for sentences. */
export function formatCompact(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const magnitude = Math.abs(value);
  for (const [scale, suffix] of [
    [1e9, 'B'],
    [1e6, 'M'],
    [1e3, 'K'],
  ] as const) {
    if (magnitude >= scale * (1 - 5e-4)) return `${Number((value / scale).toPrecision(3))}${suffix}`;
  }
  return formatAmount(value);
}

export const formatPercent = (fraction: number): string => `${(fraction * 100).toFixed(1)}%`;

/** Columns separated by two spaces; text columns (`textColumns`, default the first) left-aligned, numbers right-aligned. */
export function formatTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  textColumns: readonly number[] = [0],
): string {
  const widths = headers.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j].length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, j) => (textColumns.includes(j) ? cell.padEnd(widths[j]) : cell.padStart(widths[j])))
      .join('  ')
      .trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** "key   value" lines with the values aligned. */
export function formatKeyValues(pairs: readonly (readonly [string, string])[]): string {
  const width = Math.max(...pairs.map(([key]) => key.length));
  return pairs.map(([key, value]) => `${key.padEnd(width)}  ${value}`).join('\n');
}

/** JSON text with typed arrays written as arrays (JSON.stringify would write them as index-keyed objects). */
export const toJsonText = (value: unknown): string =>
  `${JSON.stringify(value, (_, v: unknown) => (ArrayBuffer.isView(v) && !(v instanceof DataView) ? Array.from(v as Float64Array) : v), 2)}\n`;
