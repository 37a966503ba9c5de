import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, programsApi } from '../api';
import type { ProgramParameterSet, RuleProblem, RuleType } from '../api';
import { hasText, useI18n } from '../i18n';
import type { MessageKey } from '../i18n';
import { FieldError } from './ErrorNotice';

// A rule of a programme (docs/rules.md) in a monospace text area, checked by the server as it is typed
// (POST /api/v1/rules/validate, debounced): each problem shows its text, its place (line:column) and the
// line of the rule with a marker under the column. The save's own problems for this rule (`field`, e.g.
// "eligibility[1].rule") are shown under it too.

const DEBOUNCE_MS = 300;

type Check = { state: 'idle' } | { state: 'ok' } | { state: 'errors'; errors: RuleProblem[] } | { state: 'failed' };

interface Props {
  /** The element id and the test id's suffix. */
  id: string;
  label: string;
  value: string;
  type: RuleType;
  /** The editor's parameter sets (unsaved ones included): the parameters the rule may read. */
  parameterSets: ProgramParameterSet[];
  onChange: (value: string) => void;
  /** The save's error, whose problems at `field` are shown under the rule. */
  saveError: unknown;
  field: string;
}

/** The rule's line `line` (1-based) and a marker under column `column` (1-based, in characters). */
function marker(source: string, line: number, column: number): { text: string; caret: string } {
  const text = source.split('\n')[line - 1] ?? '';
  return { text, caret: `${' '.repeat(Math.max(0, column - 1))}^` };
}

export function RuleEditor({ id, label, value, type, parameterSets, onChange, saveError, field }: Props) {
  const { t, num } = useI18n();
  const [check, setCheck] = useState<Check>({ state: 'idle' });
  const sets = JSON.stringify(parameterSets);
  const controller = useRef<AbortController | null>(null);

  useEffect(() => {
    if (value.trim() === '') {
      setCheck({ state: 'idle' });
      return undefined;
    }
    const timer = window.setTimeout(() => {
      controller.current?.abort();
      const c = new AbortController();
      controller.current = c;
      programsApi
        .validateRule({ rule: value, type, parameter_sets: JSON.parse(sets) as ProgramParameterSet[] }, c.signal)
        .then((r) => {
          if (!c.signal.aborted) setCheck(r.ok ? { state: 'ok' } : { state: 'errors', errors: r.errors });
        })
        .catch((err: unknown) => {
          if (c.signal.aborted || (err instanceof DOMException && err.name === 'AbortError')) return;
          // A parameter set the server cannot read yet (a date half typed) is the sets' problem, shown there.
          setCheck(err instanceof ApiError && err.status === 400 ? { state: 'idle' } : { state: 'failed' });
        });
    }, DEBOUNCE_MS);
    return () => window.clearTimeout(timer);
  }, [value, type, sets]);

  useEffect(() => () => controller.current?.abort(), []);

  const text = (e: RuleProblem) => (hasText(e.reason) ? t(e.reason as MessageKey, e.params) : e.message);
  const errorId = `${id}-check`;
  return (
    <div class="field rule-editor">
      <label class="field__label" for={id}>
        {label}
        <span class="rule-editor__type">{t(`prog.rule_type.${type}` as MessageKey)}</span>
      </label>
      <textarea
        id={id}
        class={`input rule-editor__input${check.state === 'errors' ? ' input--invalid' : ''}`}
        dir="ltr"
        spellcheck={false}
        autoComplete="off"
        rows={Math.min(12, Math.max(2, value.split('\n').length))}
        value={value}
        aria-describedby={errorId}
        aria-invalid={check.state === 'errors'}
        data-testid={`rule-${id}`}
        onInput={(e) => onChange(e.currentTarget.value)}
      />
      <div id={errorId} aria-live="polite">
        {check.state === 'ok' && (
          <p class="rule-editor__ok" data-testid={`rule-ok-${id}`}>
            {t('prog.rule_ok')}
          </p>
        )}
        {check.state === 'failed' && <p class="field__hint">{t('prog.rule_unchecked')}</p>}
        {check.state === 'errors' &&
          check.errors.map((e, i) => {
            const at = e.line !== null && e.column !== null ? marker(value, e.line, e.column) : null;
            return (
              <div class="rule-editor__error" key={i} data-testid={`rule-error-${id}`}>
                {e.line !== null && e.column !== null && (
                  <span class="rule-editor__pos" dir="ltr" title={t('prog.rule_position', { line: num(e.line), column: num(e.column) })} data-testid={`rule-pos-${id}`}>
                    {`${e.line}:${e.column}`}
                  </span>
                )}
                <span class="rule-editor__message">{text(e)}</span>
                {at && (
                  <pre class="rule-editor__marker" dir="ltr" data-testid={`rule-marker-${id}`}>
                    {at.text}
                    {'\n'}
                    <span class="rule-editor__caret">{at.caret}</span>
                  </pre>
                )}
              </div>
            );
          })}
      </div>
      <FieldError error={saveError} field={field} />
    </div>
  );
}
