import type { CheckContext, CheckOutcome, Evidence } from '../../security-check.ts';
import type { RequestTemplate } from '../../target-profile.ts';
import { noted, probeAnswer, sendTemplate, type ProbeAnswer, type TemplateReply } from '../../toolkit/index.ts';

/** A token the target must refuse, and what it is (the evidence note). */
export interface TokenTry {
  readonly label: string;
  readonly token: string;
}

const shorten = (t: string): string => `${t.slice(0, 24)}…(${t.length} chars)`;

/**
 * The evidence with credentials in its answer shortened (JWTs, and any *token* field's long string):
 * a report must not carry a live token whole, even the lockout victim's, yet still show one came back.
 */
export function redacted(e: Evidence): Evidence {
  if (e.responseExcerpt === undefined) return e;
  const text = e.responseExcerpt
    .replace(/("[A-Za-z_]*[Tt]oken"\s*:\s*")([^"]{41,})"/g, (_, key: string, value: string) => `${key}${shorten(value)}"`)
    .replace(/eyJ[\w-]{10,}\.[\w-]+\.[\w-]*/g, shorten);
  return { ...e, responseExcerpt: text };
}

export interface Tried {
  readonly control: Evidence;
  readonly answers: readonly { readonly t: TokenTry; readonly a: TemplateReply }[];
}

export const isOutcome = (x: Tried | CheckOutcome): x is CheckOutcome => 'verdict' in x;

/**
 * The token checks' oracle: the profile's protected probe, which answers 200 with a good token and
 * refuses a bad one. A forged token is judged by what the probe answers to it, beside a control
 * (the real token) that must be accepted.
 */
export class TokenOracle {
  readonly #ctx: CheckContext;
  readonly #probe: RequestTemplate;
  /** 'GET /api/me', as the summaries name it. */
  readonly route: string;

  constructor(ctx: CheckContext, probe: RequestTemplate) {
    this.#ctx = ctx;
    this.#probe = probe;
    this.route = `${probe.method} ${probe.path}`;
  }

  /** What the probe's answer says of the credential it carried (REST or GraphQL: toolkit's probeAnswer). */
  read(a: { readonly status: number; json(): unknown }): ProbeAnswer {
    return probeAnswer(this.#probe, a);
  }

  /** The protected probe, with a token or (undefined) without one. */
  send(
    token: string | undefined,
    o: { readonly baseUrl?: string; readonly timeoutMs?: number; readonly headers?: Readonly<Record<string, string>> } = {},
  ): Promise<TemplateReply> {
    return sendTemplate(this.#ctx, this.#probe, { ...o, ...(token !== undefined ? { token } : {}) });
  }

  /**
   * The oracle's control: the real token must be accepted, or a refusal of the forged ones proves
   * nothing (an error, never a pass).
   */
  async control(
    token: string,
    what = 'a real token of userA',
  ): Promise<{ readonly ok: true; readonly evidence: Evidence } | { readonly ok: false; readonly outcome: CheckOutcome }> {
    const a = await this.send(token);
    const evidence = noted(a.evidence, `control: ${what}`);
    if (this.read(a) === 'accepted') return { ok: true, evidence };
    return {
      ok: false,
      outcome: {
        verdict: 'error',
        summary: `${this.route} did not accept ${what} (status ${a.status}), so it cannot tell a forged token from a good one`,
        evidence: [evidence],
      },
    };
  }

  /** The control, then each forged token on the protected probe; an outcome instead when the control fails. */
  async tryTokens(realToken: string, tries: readonly TokenTry[], controlWhat?: string): Promise<Tried | CheckOutcome> {
    const control = await this.control(realToken, controlWhat);
    if (!control.ok) return control.outcome;
    const answers = [];
    for (const t of tries) answers.push({ t, a: await this.send(t.token) });
    return { control: control.evidence, answers };
  }

  /**
   * Any token accepted is a fail (the accepted ones are the evidence); all cleanly refused is a pass;
   * otherwise an error, since a 5xx, a 429 or no answer says nothing about the verifier.
   */
  judge(tried: Tried, extra: readonly Evidence[] = []): CheckOutcome {
    const { answers, control } = tried;
    const accepted = answers.filter(({ a }) => this.read(a) === 'accepted');
    const unclear = answers.filter(({ a }) => this.read(a) === 'unclear');
    const ev = (xs: typeof answers): Evidence[] => xs.map(({ t, a }) => noted(a.evidence, t.label));
    const [firstAccepted] = accepted;
    if (firstAccepted) {
      const more = accepted.length > 1 ? ` (and ${accepted.length - 1} more of ${answers.length})` : '';
      return {
        verdict: 'fail',
        summary: `${this.route} accepted ${firstAccepted.t.label} and answered ${firstAccepted.a.status}${more}`,
        evidence: [...ev(accepted), control, ...extra],
      };
    }
    const [firstUnclear] = unclear;
    if (firstUnclear) {
      return {
        verdict: 'error',
        summary: `${this.route} answered ${firstUnclear.a.status || 'nothing'} to ${firstUnclear.t.label}: neither accepted nor refused`,
        evidence: [...ev(unclear), control],
      };
    }
    const statuses = [...new Set(answers.map(({ a }) => a.status))].join('/');
    return {
      verdict: 'pass',
      summary: `${this.route} refused all ${answers.length} forged tokens (${statuses})`,
      evidence: [control, ...ev(answers), ...extra],
    };
  }

  /** tryTokens, then judge. */
  async judgeTokens(
    realToken: string,
    tries: readonly TokenTry[],
    o: { readonly controlWhat?: string; readonly extra?: readonly Evidence[] } = {},
  ): Promise<CheckOutcome> {
    const tried = await this.tryTokens(realToken, tries, o.controlWhat);
    return isOutcome(tried) ? tried : this.judge(tried, o.extra);
  }
}
