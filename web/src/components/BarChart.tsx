import { useEffect, useRef } from 'preact/hooks';
import { useI18n } from '../i18n';

// A grouped bar chart (ECharts, loaded on first use). Right-to-left pages draw the categories from the
// right with the value axis on the right, as an Arabic reader scans; labels and numbers come formatted
// by the caller in the page's language.

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
        legend: { top: 0, [rtl ? 'right' : 'left']: 0 },
        tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => (typeof v === 'number' ? format(v) : '—') },
        grid: { top: 36, bottom: 8, left: 8, right: 8, containLabel: true },
        xAxis: { type: 'category', data: categories, inverse: rtl, axisLabel: { interval: 0, rotate: categories.length > 6 ? 30 : 0 } },
        yAxis: { type: 'value', position: rtl ? 'right' : 'left', axisLabel: { formatter: (v: number) => format(v) } },
        series: series.map((s, k) => ({ type: 'bar', name: s.name, data: s.values, itemStyle: { color: s.color ?? DEFAULT_COLORS[k % DEFAULT_COLORS.length] } })),
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
      <div class="chart__canvas" ref={ref} role="img" aria-label={title} />
    </figure>
  );
}
