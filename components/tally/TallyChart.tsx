import type { ToolSeries } from '../../lib/tally';
import { formatDay } from './format';

const WIDTH = 300;
const HEIGHT = 64;

/** One tool's prompts per day as bars. The label carries the whole story for screen readers. */
export function TallyChart({ series, days, name }: { series: ToolSeries; days: string[]; name: string }) {
  const max = Math.max(1, ...series.prompts);
  const slot = WIDTH / Math.max(1, days.length);
  const busiest = series.prompts.indexOf(Math.max(...series.prompts));
  const peak =
    series.totalPrompts > 0 && busiest >= 0
      ? `, most on ${formatDay(days[busiest] ?? '')} (${series.prompts[busiest]})`
      : '';
  const label = `${name}: ${series.totalPrompts} ${series.totalPrompts === 1 ? 'prompt' : 'prompts'} and ${series.totalDismissals} ${series.totalDismissals === 1 ? 'dismissal' : 'dismissals'} in the last ${days.length} days${peak}.`;
  return (
    <figure className="mo-tally__figure">
      <figcaption className="mo-tally__figcaption">{name}</figcaption>
      <svg
        className="mo-tally__chart"
        role="img"
        aria-label={label}
        viewBox={`0 0 ${WIDTH} ${HEIGHT + 2}`}
        preserveAspectRatio="none"
      >
        <line x1={0} y1={HEIGHT + 1} x2={WIDTH} y2={HEIGHT + 1} className="mo-tally__axis" />
        {series.prompts.map((value, i) => {
          const height = value === 0 ? 0 : Math.max(2, (value / max) * HEIGHT);
          return (
            <rect
              // biome-ignore lint/suspicious/noArrayIndexKey: one bar per day, in day order.
              key={i}
              className="mo-tally__bar"
              x={i * slot + slot * 0.15}
              y={HEIGHT - height}
              width={slot * 0.7}
              height={height}
            />
          );
        })}
      </svg>
      <p className="mo-tally__range mo-hint" aria-hidden="true">
        <span>{formatDay(days[0] ?? '')}</span>
        <span>{formatDay(days[days.length - 1] ?? '')}</span>
      </p>
    </figure>
  );
}
