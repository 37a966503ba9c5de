import { useState } from 'preact/hooks';
import { ApiError } from '../api';

// Submitting a public form (no account): a busy flag, and what went wrong sorted for the page — the
// server's field problems keyed by field (shown under each field), a rate limit with its delay, or
// anything else. Shared by the public pages that post forms (empowerment, micro-credit).

export type SubmitProblem =
  | { kind: 'fields'; errors: Record<string, string> }
  | { kind: 'throttled'; seconds: number }
  | { kind: 'other'; error: unknown };

/** `fieldKey` maps a problem's field path to the form field it is shown under (default: as it is). */
export function usePublicSubmit(fieldKey: (field: string) => string = (f) => f) {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<SubmitProblem | null>(null);
  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setProblem(null);
    try {
      await work();
    } catch (err) {
      if (err instanceof ApiError && err.status === 429) {
        setProblem({ kind: 'throttled', seconds: err.retryAfter ?? 60 });
      } else if (err instanceof ApiError && (err.status === 422 || err.status === 400) && (err.problems.length || err.field)) {
        const errors: Record<string, string> = {};
        const all = err.problems.length ? err.problems : [{ field: err.field, message: err.message }];
        for (const p of all) errors[fieldKey(p.field ?? '')] = p.message;
        setProblem({ kind: 'fields', errors });
      } else {
        setProblem({ kind: 'other', error: err });
      }
    } finally {
      setBusy(false);
    }
  };
  return { busy, problem, run };
}
