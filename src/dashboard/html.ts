/** Text and number formatting every part of the dashboard page shares. */

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] ?? ch);
}

export const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumSignificantDigits: 4 });
export const percent = new Intl.NumberFormat('en-US', { style: 'percent', maximumFractionDigits: 1 });
