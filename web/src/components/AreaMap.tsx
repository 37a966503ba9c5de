import { useEffect, useMemo, useState } from 'preact/hooks';
import { api } from '../api';
import type { Country, GeoJsonCollection } from '../api';
import { useI18n } from '../i18n';

// An offline map: the country's region (MA) or wilaya (DZ) boundaries served by the application from
// its reference data (GET /api/v1/areas/boundaries; no tile server, nothing from the internet), drawn
// as SVG with pins. Equirectangular projection with longitudes scaled by the cosine of the middle
// latitude: at a country's scale that is accurate enough to see where reports are and which are near
// each other. The view fits the pins, at least MIN_SPAN across so that the region's borders around them
// show; with no pin it shows the whole country. Maps are not mirrored in right-to-left pages.

export interface MapPin {
  key: string;
  lat: number;
  lon: number;
  danger: boolean;
  label: string;
  onSelect?: () => void;
}

// Degrees of latitude (and of longitude before scaling) the view spans at least: about 170 km.
const MIN_SPAN = 1.5;

const boundaryCache = new Map<Country, Promise<GeoJsonCollection>>();
function boundaries(country: Country): Promise<GeoJsonCollection> {
  let p = boundaryCache.get(country);
  if (!p) {
    p = api.boundaries(country);
    // A failed load is tried again next time rather than remembered.
    p.catch(() => boundaryCache.delete(country));
    boundaryCache.set(country, p);
  }
  return p;
}

type Box = { minLon: number; maxLon: number; minLat: number; maxLat: number };

function ringsOf(g: GeoJsonCollection['features'][number]['geometry']): [number, number][][] {
  return g.type === 'Polygon' ? g.coordinates : g.coordinates.flat();
}

function extent(points: [number, number][], minSpan: number): Box {
  let minLon = Infinity,
    maxLon = -Infinity,
    minLat = Infinity,
    maxLat = -Infinity;
  for (const [lon, lat] of points) {
    minLon = Math.min(minLon, lon);
    maxLon = Math.max(maxLon, lon);
    minLat = Math.min(minLat, lat);
    maxLat = Math.max(maxLat, lat);
  }
  const padLon = Math.max(minSpan - (maxLon - minLon), 0) / 2 + (maxLon - minLon) * 0.1;
  const padLat = Math.max(minSpan - (maxLat - minLat), 0) / 2 + (maxLat - minLat) * 0.1;
  return { minLon: minLon - padLon, maxLon: maxLon + padLon, minLat: minLat - padLat, maxLat: maxLat + padLat };
}

export function AreaMap({ country, pins }: { country: Country; pins: MapPin[] }) {
  const { t } = useI18n();
  const [geo, setGeo] = useState<GeoJsonCollection | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let live = true;
    boundaries(country).then(
      (g) => live && setGeo(g),
      () => live && setFailed(true),
    );
    return () => {
      live = false;
    };
  }, [country]);

  const box = useMemo(() => {
    if (pins.length > 0) return extent(pins.map((p) => [p.lon, p.lat]), MIN_SPAN);
    if (!geo) return null;
    return extent(geo.features.flatMap((f) => ringsOf(f.geometry).flat()), 0);
  }, [geo, pins]);

  // A fixed 640 × 300 frame the box is widened to (either way), so pins and labels keep their size.
  const width = 640;
  const height = 300;
  const view = useMemo(() => {
    if (!box) return null;
    const k = Math.cos((((box.minLat + box.maxLat) / 2) * Math.PI) / 180);
    const w = (box.maxLon - box.minLon) * k;
    const h = box.maxLat - box.minLat;
    const scale = Math.min(width / w, height / h);
    const midLon = (box.minLon + box.maxLon) / 2;
    const midLat = (box.minLat + box.maxLat) / 2;
    const halfLon = width / scale / k / 2;
    const halfLat = height / scale / 2;
    return { k, scale, box: { minLon: midLon - halfLon, maxLon: midLon + halfLon, minLat: midLat - halfLat, maxLat: midLat + halfLat } };
  }, [box]);

  const paths = useMemo(() => {
    if (!geo || !view) return [];
    const { k, scale, box: b } = view;
    const x = (lon: number) => ((lon - b.minLon) * k * scale).toFixed(1);
    const y = (lat: number) => ((b.maxLat - lat) * scale).toFixed(1);
    return geo.features.map((f) =>
      ringsOf(f.geometry)
        .map((ring) => 'M' + ring.map(([lon, lat]) => `${x(lon)},${y(lat)}`).join('L') + 'Z')
        .join(''),
    );
  }, [geo, view]);

  if (failed) return <p class="muted">{t('map.unavailable')}</p>;
  if (!view) return null;
  const { k, scale, box: b } = view;
  return (
    <svg
      class="area-map"
      dir="ltr"
      role="img"
      aria-label={t('map.label', { count: pins.length })}
      viewBox={`0 0 ${width} ${height}`}
      data-testid="area-map"
    >
      {paths.map((d, i) => (
        <path key={i} d={d} class="area-map__area" />
      ))}
      {/* Labels under their pins, drawn first so that no label hides a pin. */}
      {pins.map((p) => (
        <text key={`t${p.key}`} x={((p.lon - b.minLon) * k * scale).toFixed(1)} y={((b.maxLat - p.lat) * scale + 20).toFixed(1)} text-anchor="middle" class="area-map__label">
          {p.label}
        </text>
      ))}
      {pins.map((p) => (
        <circle
          key={p.key}
          cx={((p.lon - b.minLon) * k * scale).toFixed(1)}
          cy={((b.maxLat - p.lat) * scale).toFixed(1)}
          r={6}
          class={`area-map__pin${p.danger ? ' area-map__pin--danger' : ''}`}
          data-testid="area-map-pin"
          tabIndex={p.onSelect ? 0 : -1}
          onClick={p.onSelect}
          onKeyDown={(e) => (e.key === 'Enter' || e.key === ' ') && p.onSelect?.()}
        >
          <title>{p.label}</title>
        </circle>
      ))}
    </svg>
  );
}
