/** Text on the dashboard page: HTML escaping and the number formats its tables and tiles use. */

export const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumSignificantDigits: 4 });
export const whole = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
export const percent = new Intl.NumberFormat('en-US', { style: 'percent', maximumFractionDigits: 1 });
export const signedPercent = new Intl.NumberFormat('en-US', { style: 'percent', maximumFractionDigits: 1, signDisplay: 'exceptZero' });
export const fixed =
  (digits: number) =>
  (v: number): string =>
    v.toFixed(digits);
export const orDash = (v: number | null, format: (v: number) => string): string => (v === null ? '—' : format(v));
/** A change in spend with its sign: +1,200 or −300 (a true minus sign). */
export const signedWhole = (v: number): string => `${v >= 0 ? '+' : '−'}${whole.format(Math.abs(v))}`;

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] ?? ch);
}
