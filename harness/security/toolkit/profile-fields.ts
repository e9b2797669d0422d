/** Which of the profile's fields a check needs are missing, as the not-applicable reason (undefined: all there). */
export function missingFields(fields: Readonly<Record<string, unknown>>): string | undefined {
  const missing = Object.entries(fields)
    .filter(([, v]) => v === undefined || v === null || (Array.isArray(v) && v.length === 0))
    .map(([k]) => k);
  return missing.length === 0 ? undefined : `the profile does not give ${missing.map((m) => `profile.${m}`).join(', ')}`;
}
