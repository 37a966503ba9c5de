// The parts of Apache ECharts the pages use, registered once: bar charts with a grid, tooltip and
// legend, drawn as SVG. Imported lazily (BarChart), so the charts' code is its own chunk of the bundle,
// fetched from the server like the rest of the app (no CDN) and only by pages that draw a chart.
import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';

echarts.use([BarChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

export { echarts };
