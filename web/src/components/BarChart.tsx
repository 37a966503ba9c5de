import { useEffect, useRef } from 'preact/hooks';
import { useI18n } from '../i18n';

// A grouped horizontal bar chart (ECharts, loaded on first use): one row per category (a region's name
// reads whole, however long), one bar per series. Right-to-left pages put the categories on the right and
// grow the bars leftwards, as an Arabic reader scans; labels and numbers come formatted by the caller in
// the page's language.

export interface BarSeries {
  name: string;
  /** Default: grey for the first series (a baseline), blue for the second. */
  color?: string;
  values: (number | null)[];
}

const DEFAULT_COLORS = ['#94a3b8', '#1d4ed8'];

interface Props {
  title: string;
  categories: string[];
  series: BarSeries[];
  /** A value as the axis and tooltip show it (percent, money). */
  format: (value: number) => string;
  testid: string;
}

export function BarChart({ title, categories, series, format, testid }: Props) {
  const { dir } = useI18n();
  const ref = useRef<HTMLDivElement>(null);
  const rtl = dir === 'rtl';
  useEffect(() => {
    let disposed = false;
    let chart: { dispose: () => void; resize: () => void } | null = null;
    const onResize = () => chart?.resize();
    void import('../charts/echarts').then(({ echarts }) => {
      if (disposed || !ref.current) return;
      const c = echarts.init(ref.current, null, { renderer: 'svg' });
      chart = c;
      const font = getComputedStyle(ref.current).fontFamily;
      c.setOption({
        animation: false,
        textStyle: { fontFamily: font },
        // The chart lays itself out left to right (its box is dir="ltr"); for a right-to-left page the
        // category axis stands on the right and the bars grow leftwards, and the legend keys sit to the
        // right of their text.
        legend: { top: 0, [rtl ? 'right' : 'left']: 0, align: rtl ? 'right' : 'left' },
        tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v: unknown) => (typeof v === 'number' ? format(v) : '—') },
        grid: { top: 16 + 24 * Math.ceil(series.length / 2), bottom: 8, left: 8, right: 8, containLabel: true },
        xAxis: { type: 'value', inverse: rtl, axisLabel: { formatter: (v: number) => format(v), hideOverlap: true } },
        yAxis: { type: 'category', data: categories, inverse: true, position: rtl ? 'right' : 'left', axisLabel: { interval: 0 } },
        series: series.map((s, k) => ({
          type: 'bar',
          name: s.name,
          data: s.values,
          itemStyle: { color: s.color ?? DEFAULT_COLORS[k % DEFAULT_COLORS.length] },
        })),
      });
      window.addEventListener('resize', onResize);
    });
    return () => {
      disposed = true;
      window.removeEventListener('resize', onResize);
      chart?.dispose();
    };
  }, [title, rtl, JSON.stringify(categories), JSON.stringify(series)]);
  return (
    <figure class="chart" data-testid={testid}>
      <figcaption class="chart__title">{title}</figcaption>
      <div
        class="chart__canvas"
        dir="ltr"
        ref={ref}
        role="img"
        aria-label={title}
        style={{ blockSize: `${Math.max(12, 4 + categories.length * (0.6 + 0.5 * series.length))}rem` }}
      />
    </figure>
  );
}
