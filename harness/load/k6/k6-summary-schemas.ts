import { z } from 'zod';

/**
 * The three end-of-test summary shapes k6 writes (docs/k6.md, ../shared/reference/load-testing.md §4),
 * validated loosely: unknown keys pass, the fields the converters read must have the right type.
 * Numbers may be null: k6's JSON.stringify turns NaN (a trend with no samples) into null.
 */

const num = z.number().nullable();
const values = z.record(z.string(), num);

// 4.1 handleSummary(data), the legacy object ------------------------------------------------------

const legacyCheck = z.looseObject({ name: z.string(), path: z.string().optional(), passes: z.number(), fails: z.number() });
export type LegacyCheck = z.infer<typeof legacyCheck>;

export interface LegacyGroup {
  readonly name: string;
  readonly path?: string | undefined;
  readonly groups: readonly LegacyGroup[];
  readonly checks: readonly LegacyCheck[];
}
const legacyGroup: z.ZodType<LegacyGroup> = z.looseObject({
  name: z.string(),
  path: z.string().optional(),
  get groups() {
    return z.array(legacyGroup);
  },
  checks: z.array(legacyCheck),
});

const metricTypeSchema = z.enum(['counter', 'gauge', 'rate', 'trend']);
const metricContainsSchema = z.enum(['default', 'time', 'data']);

export const handleSummarySchema = z.looseObject({
  root_group: legacyGroup,
  options: z.looseObject({ summaryTrendStats: z.array(z.string()).optional() }).optional(),
  state: z.looseObject({ testRunDurationMs: z.number() }).optional(),
  metrics: z.record(
    z.string(),
    z.looseObject({
      type: metricTypeSchema,
      contains: metricContainsSchema,
      values,
      thresholds: z.record(z.string(), z.looseObject({ ok: z.boolean() })).optional(),
    }),
  ),
});
export type HandleSummaryData = z.infer<typeof handleSummarySchema>;

// 4.2 --summary-export, the flattened legacy export ----------------------------------------------

export interface ExportGroup {
  readonly name: string;
  readonly path?: string | undefined;
  readonly groups: Readonly<Record<string, ExportGroup>>;
  readonly checks: Readonly<Record<string, LegacyCheck>>;
}
const exportGroup: z.ZodType<ExportGroup> = z.looseObject({
  name: z.string(),
  path: z.string().optional(),
  get groups() {
    return z.record(z.string(), exportGroup);
  },
  checks: z.record(z.string(), legacyCheck),
});

/** A flattened metric: its former `values`, plus `thresholds: { expr: failed }`. */
const exportMetric = z.record(z.string(), z.union([z.number(), z.null(), z.record(z.string(), z.boolean())]));

export const summaryExportSchema = z.looseObject({
  root_group: exportGroup,
  metrics: z.record(z.string(), exportMetric),
});
export type SummaryExport = z.infer<typeof summaryExportSchema>;

// 4.3 the new machine-readable summary ----------------------------------------------------------

const machineMetric = z.looseObject({
  name: z.string(),
  type: metricTypeSchema,
  contains: metricContainsSchema.optional(),
  values,
});
export type MachineMetric = z.infer<typeof machineMetric>;

export const machineReadableSchema = z.looseObject({
  version: z.string(),
  metadata: z.looseObject({}).optional(),
  config: z.looseObject({ duration: z.number().optional(), script: z.string().optional() }).optional(),
  results: z.looseObject({
    checks: z
      .looseObject({
        metrics: z.array(machineMetric).nullable().optional(),
        results: z
          .array(z.looseObject({ name: z.string(), passes: z.number(), fails: z.number() }))
          .nullable()
          .optional(),
      })
      .optional(),
    metrics: z.array(machineMetric).nullable(),
  }),
});
export type MachineReadableSummary = z.infer<typeof machineReadableSchema>;

/** Parses or throws an error naming the format and the first offending paths. */
export function parseWith<T>(schema: z.ZodType<T>, json: unknown, what: string): T {
  const result = schema.safeParse(json);
  if (result.success) return result.data;
  const issues = result.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
  throw new Error(`not a valid k6 ${what}: ${issues.join('; ')}`);
}
