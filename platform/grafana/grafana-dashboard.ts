/**
 * The part of Grafana's dashboard model (schemaVersion 39) the platform's dashboards use, and the
 * builders that lay them out. Every query names its datasource through the `datasource` template
 * variable, so a dashboard imports into any Grafana with a Prometheus datasource.
 */

export const SCHEMA_VERSION = 39;

export interface DatasourceRef {
  readonly type: 'prometheus';
  readonly uid: '${datasource}';
}

export const DATASOURCE: DatasourceRef = { type: 'prometheus', uid: '${datasource}' };

export interface Target {
  readonly refId: string;
  readonly datasource: DatasourceRef;
  readonly expr: string;
  readonly legendFormat: string;
  readonly range: boolean;
  readonly instant: boolean;
}

export interface ThresholdStep {
  readonly color: string;
  /** null: the base step, below every other. */
  readonly value: number | null;
}

export interface GridPos {
  readonly h: number;
  readonly w: number;
  readonly x: number;
  readonly y: number;
}

export interface QueryPanel {
  readonly id: number;
  readonly type: 'stat' | 'timeseries' | 'state-timeline';
  readonly title: string;
  readonly description: string;
  readonly gridPos: GridPos;
  readonly datasource: DatasourceRef;
  readonly targets: readonly Target[];
  readonly fieldConfig: { readonly defaults: Readonly<Record<string, unknown>>; readonly overrides: readonly unknown[] };
  readonly options: Readonly<Record<string, unknown>>;
}

export interface RowPanel {
  readonly id: number;
  readonly type: 'row';
  readonly title: string;
  readonly gridPos: GridPos;
  readonly collapsed: false;
  readonly panels: readonly [];
}

export type Panel = QueryPanel | RowPanel;

export interface PrometheusAnnotation {
  readonly name: string;
  readonly datasource: DatasourceRef;
  readonly enable: true;
  readonly hide: false;
  readonly iconColor: string;
  readonly expr: string;
  readonly step: string;
  readonly titleFormat: string;
  readonly textFormat: string;
  readonly tagKeys: string;
  readonly useValueForTime: false;
}

/** Grafana's own annotations (the ones a user adds by hand), which every dashboard carries. */
const BUILT_IN_ANNOTATION = {
  builtIn: 1,
  datasource: { type: 'grafana', uid: '-- Grafana --' },
  enable: true,
  hide: true,
  iconColor: 'rgba(0, 211, 255, 1)',
  name: 'Annotations & Alerts',
  type: 'dashboard',
} as const;

export interface Dashboard {
  readonly uid: string;
  readonly title: string;
  readonly description: string;
  readonly tags: readonly string[];
  readonly schemaVersion: number;
  readonly version: number;
  readonly editable: boolean;
  readonly graphTooltip: number;
  readonly refresh: string;
  readonly time: { readonly from: string; readonly to: string };
  readonly timezone: string;
  readonly templating: { readonly list: readonly Readonly<Record<string, unknown>>[] };
  readonly annotations: { readonly list: readonly (typeof BUILT_IN_ANNOTATION | PrometheusAnnotation)[] };
  readonly panels: readonly Panel[];
  readonly links: readonly [];
}

/** A panel before it is placed: its size and content; the layout gives it an id and a position. */
export interface PanelSpec {
  readonly type: QueryPanel['type'];
  readonly title: string;
  readonly description: string;
  readonly w: number;
  readonly h: number;
  readonly queries: readonly { readonly expr: string; readonly legend?: string; readonly instant?: boolean }[];
  readonly fieldConfig: QueryPanel['fieldConfig'];
  readonly options: QueryPanel['options'];
}

export interface Section {
  readonly row: string;
  readonly panels: readonly PanelSpec[];
}

const GRID_WIDTH = 24;

/** Places the sections top to bottom, each under a row header, its panels left to right, wrapping at Grafana's 24 columns; ids from 1. */
export function layOut(sections: readonly Section[]): Panel[] {
  const out: Panel[] = [];
  let y = 0;
  for (const section of sections) {
    out.push({ id: out.length + 1, type: 'row', title: section.row, gridPos: { h: 1, w: GRID_WIDTH, x: 0, y }, collapsed: false, panels: [] });
    y += 1;
    let x = 0;
    let lineHeight = 0;
    for (const p of section.panels) {
      if (x + p.w > GRID_WIDTH) {
        y += lineHeight;
        x = 0;
        lineHeight = 0;
      }
      out.push({
        id: out.length + 1,
        type: p.type,
        title: p.title,
        description: p.description,
        gridPos: { h: p.h, w: p.w, x, y },
        datasource: DATASOURCE,
        targets: p.queries.map((q, i) => ({
          refId: String.fromCharCode(65 + i),
          datasource: DATASOURCE,
          expr: q.expr,
          legendFormat: q.legend ?? '__auto',
          range: !(q.instant ?? false),
          instant: q.instant ?? false,
        })),
        fieldConfig: p.fieldConfig,
        options: p.options,
      });
      x += p.w;
      lineHeight = Math.max(lineHeight, p.h);
    }
    y += lineHeight;
  }
  return out;
}

export function prometheusAnnotation(
  a: Pick<PrometheusAnnotation, 'name' | 'iconColor' | 'expr' | 'titleFormat' | 'textFormat' | 'tagKeys'>,
): PrometheusAnnotation {
  return { ...a, datasource: DATASOURCE, enable: true, hide: false, step: '5s', useValueForTime: false };
}

/** The `datasource` variable every query names: any Prometheus datasource of the Grafana it is imported into. */
const DATASOURCE_VARIABLE = {
  name: 'datasource',
  label: 'Prometheus',
  type: 'datasource',
  query: 'prometheus',
  current: {},
  hide: 0,
  includeAll: false,
  multi: false,
  options: [],
  refresh: 1,
  regex: '',
  skipUrlSync: false,
} as const;

export function dashboard(
  d: Pick<Dashboard, 'uid' | 'title' | 'description' | 'tags' | 'panels'> & { readonly annotations: readonly PrometheusAnnotation[] },
): Dashboard {
  return {
    uid: d.uid,
    title: d.title,
    description: d.description,
    tags: d.tags,
    schemaVersion: SCHEMA_VERSION,
    version: 1,
    editable: true,
    graphTooltip: 1,
    refresh: '10s',
    time: { from: 'now-30m', to: 'now' },
    timezone: 'browser',
    templating: { list: [DATASOURCE_VARIABLE] },
    annotations: { list: [BUILT_IN_ANNOTATION, ...d.annotations] },
    panels: d.panels,
    links: [],
  };
}
