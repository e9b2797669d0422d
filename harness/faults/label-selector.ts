import type { V1LabelSelector } from '@kubernetes/client-node';

/**
 * Whether a Kubernetes label selector (a NetworkPolicy's podSelector, a workload's selector) selects
 * an object with these labels: every matchLabels pair and every matchExpressions requirement holds.
 * An empty selector selects everything, as the API server reads it.
 */
export function selects(selector: V1LabelSelector, labels: Readonly<Record<string, string>>): boolean {
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const value = labels[e.key];
    switch (e.operator) {
      case 'In':
        if (value === undefined || !(e.values ?? []).includes(value)) return false;
        break;
      case 'NotIn':
        if (value !== undefined && (e.values ?? []).includes(value)) return false;
        break;
      case 'Exists':
        if (value === undefined) return false;
        break;
      case 'DoesNotExist':
        if (value !== undefined) return false;
        break;
      default:
        // An operator this code does not know: assume it selects, so a conflict is reported rather than missed.
        break;
    }
  }
  return true;
}

/** A label selector as the API's query string (`app=web,tier in (a,b),!gone`), for listing what it selects. */
export function selectorQuery(selector: V1LabelSelector): string {
  const parts = Object.entries(selector.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of selector.matchExpressions ?? []) {
    const values = (e.values ?? []).join(',');
    if (e.operator === 'In') parts.push(`${e.key} in (${values})`);
    else if (e.operator === 'NotIn') parts.push(`${e.key} notin (${values})`);
    else if (e.operator === 'Exists') parts.push(e.key);
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
  }
  return parts.join(',');
}

/** A fault id as a label value and a name part (`0.2` -> `0-2`): letters, digits and '-', at most 40. */
export const kubeSafeId = (id: string): string =>
  id
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40) || 'fault';
