// @ts-check
/** Small statistics and formatting helpers for the benchmark. */

/** @param {number[]} values */
export function median(values) {
  return percentile(values, 50);
}

/**
 * Nearest-rank percentile (p in 0..100) of the finite values; NaN when there are none.
 * @param {number[]} values
 * @param {number} p
 */
export function percentile(values, p) {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1] ?? Number.NaN;
}

/**
 * @param {number | undefined} value
 * @param {number} [digits]
 */
export function fmt(value, digits = 2) {
  if (value === undefined || !Number.isFinite(value)) return '–';
  return value.toFixed(digits);
}

/**
 * "min..max" of the finite values ('' for fewer than two).
 * @param {number[]} values
 * @param {number} [digits]
 */
export function range(values, digits = 2) {
  const finite = values.filter((v) => Number.isFinite(v));
  return finite.length > 1 ? `${fmt(Math.min(...finite), digits)}..${fmt(Math.max(...finite), digits)}` : '';
}

/**
 * Renders rows as a plain-text table with a header line.
 * @param {string[]} header
 * @param {(string | number)[][]} rows
 */
export function table(header, rows) {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (/** @type {string[]} */ r) =>
    r.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

/** @param {number} ms */
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
