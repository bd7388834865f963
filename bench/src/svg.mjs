// SVG charts drawn from the measured data (no chart library): one horizontal bar per series at
// its median, a whisker from min to max, a dot per round, and an optional goal line.
const escape = (text) => String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * @param {{ title: string, unit: string, series: { label: string, summary: { median: number, min: number, max: number, values: number[] } }[], goal?: { value: number, label: string }, format: (v: number) => string }} chart
 */
export function barChart({ title, unit, series, goal, format }) {
  const width = 760;
  const left = 250;
  const right = 110;
  const rowHeight = 34;
  const top = 44;
  const height = top + series.length * rowHeight + 40;
  const finite = series.flatMap(({ summary }) => [summary.max, ...summary.values]).filter(Number.isFinite);
  if (goal !== undefined) finite.push(goal.value);
  const maximum = Math.max(...finite, 1e-9) * 1.08;
  const x = (value) => left + (Math.max(0, value) / maximum) * (width - left - right);
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="10" y="20" font-size="14" font-weight="bold">${escape(title)}</text>`,
    `<text x="10" y="36" fill="#555">${escape(unit)}: bar = median, whisker = min … max, dots = rounds</text>`,
  ];
  const ticks = 5;
  for (let tick = 0; tick <= ticks; tick++) {
    const value = (maximum / ticks) * tick;
    const at = x(value);
    parts.push(`<line x1="${at.toFixed(1)}" y1="${top - 4}" x2="${at.toFixed(1)}" y2="${height - 30}" stroke="#eee"/>`);
    parts.push(`<text x="${at.toFixed(1)}" y="${height - 14}" text-anchor="middle" fill="#777">${escape(format(value))}</text>`);
  }
  series.forEach(({ label, summary }, row) => {
    const y = top + row * rowHeight;
    const color = label.startsWith('tskpl') ? '#2b6cb0' : '#a0aec0';
    parts.push(`<text x="${left - 8}" y="${y + 20}" text-anchor="end">${escape(label)}</text>`);
    if (Number.isFinite(summary.median)) {
      parts.push(`<rect x="${left}" y="${y + 6}" width="${(x(summary.median) - left).toFixed(1)}" height="20" fill="${color}"/>`);
      parts.push(`<line x1="${x(summary.min).toFixed(1)}" y1="${y + 16}" x2="${x(summary.max).toFixed(1)}" y2="${y + 16}" stroke="#222" stroke-width="1.5"/>`);
      for (const value of summary.values) parts.push(`<circle cx="${x(value).toFixed(1)}" cy="${y + 16}" r="2.5" fill="#e53e3e"/>`);
      parts.push(`<text x="${(x(summary.max) + 6).toFixed(1)}" y="${y + 20}">${escape(format(summary.median))}</text>`);
    } else {
      parts.push(`<text x="${left + 4}" y="${y + 20}" fill="#777">n/a</text>`);
    }
  });
  if (goal !== undefined) {
    const at = x(goal.value).toFixed(1);
    parts.push(`<line x1="${at}" y1="${top - 6}" x2="${at}" y2="${height - 30}" stroke="#dd6b20" stroke-dasharray="5,3" stroke-width="1.5"/>`);
    parts.push(`<text x="${at}" y="${top - 8}" text-anchor="middle" fill="#dd6b20">${escape(goal.label)}</text>`);
  }
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}
