// Small statistics and formatting helpers for the report.
export function summarize(values) {
  const sorted = [...values].filter((value) => Number.isFinite(value)).sort((a, b) => a - b);
  if (sorted.length === 0) return { median: NaN, min: NaN, max: NaN, values: [] };
  const middle = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1], values };
}

export function percentile(values, p) {
  if (values.length === 0) return NaN;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export function formatNumber(value, digits = 0) {
  if (!Number.isFinite(value)) return 'n/a';
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function formatSpread(summary, format) {
  if (!Number.isFinite(summary.median)) return 'n/a';
  if (summary.values.length <= 1) return format(summary.median);
  return `${format(summary.median)} (${format(summary.min)} … ${format(summary.max)})`;
}

export const rate = (value) => formatNumber(value);
export const ratio = (value) => `${formatNumber(value, 2)}×`;
export const percent = (value) => `${formatNumber(value * 100, 1)} %`;
export const ms = (value) => `${formatNumber(value, 0)} ms`;
export const bytes = (value) => `${formatNumber(value, 0)} B`;
export const mebibytes = (value) => `${formatNumber(value / 2 ** 20, 1)} MiB`;
