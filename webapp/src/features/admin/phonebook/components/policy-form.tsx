import { type FormEvent, useState } from 'react';

import { Button } from '@/components/button';
import { TextField } from '@/components/text-field';
import { useI18n } from '@/lib/i18n';

import { PARTY_ID, type PhonebookPolicy, type PolicyField, parseParties } from '../phonebook-api';

export type PolicyErrors = Partial<Record<PolicyField, string>>;

export interface PolicyFormProps {
  policy: PhonebookPolicy;
  busy: boolean;
  /** The refusal's reason by field (from the API), shown by that field. */
  errors: PolicyErrors;
  onSave: (policy: PhonebookPolicy) => void;
}

/** Each field's label and hint: admin.phonebook.policy.<field>.label / .hint. */
const FIELDS: { field: PolicyField; testId: string }[] = [
  { field: 'lookup_from', testId: 'phonebook-policy-lookup' },
  { field: 'join_from', testId: 'phonebook-policy-join' },
  { field: 'move_from', testId: 'phonebook-policy-move' },
  { field: 'dial_from', testId: 'phonebook-policy-dial' },
];

const textOf = (policy: PhonebookPolicy) => ({
  lookup_from: (policy.lookup_from ?? []).join(', '),
  join_from: policy.join_from.join(', '),
  move_from: policy.move_from.join(', '),
  dial_from: policy.dial_from.join(', '),
});

/** The party's phonebook policy: which other parties may join, move people out of, or dial its meetings. */
export const PolicyForm = ({ policy, busy, errors, onSave }: PolicyFormProps) => {
  const { t } = useI18n();
  const [text, setText] = useState<Record<PolicyField, string>>(() => textOf(policy));
  const [joinRole, setJoinRole] = useState(policy.join_role);
  const [localErrors, setLocalErrors] = useState<PolicyErrors>({});

  const handleSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const found: PolicyErrors = {};
    const parsed = {} as Record<PolicyField, string[]>;
    for (const { field } of FIELDS) {
      parsed[field] = parseParties(text[field]);
      const bad = parsed[field].filter((id) => !PARTY_ID.test(id));
      if (bad.length > 0) {
        found[field] = t('admin.phonebook.policy.badIds', { ids: bad.map((id) => `"${id}"`).join(', ') });
      }
    }
    setLocalErrors(found);
    if (Object.keys(found).length > 0) return;
    onSave({ ...parsed, join_role: joinRole });
  };

  return (
    <form className="stack" onSubmit={handleSubmit} noValidate data-testid="phonebook-policy">
      <p className="field__hint">{t('admin.phonebook.policy.hint')}</p>
      {FIELDS.map(({ field, testId }) => (
        <TextField
          key={field}
          label={t(`admin.phonebook.policy.${field}.label`)}
          hint={t(`admin.phonebook.policy.${field}.hint`)}
          testId={testId}
          errorTestId={`${testId}-error`}
          autoComplete="off"
          spellCheck={false}
          error={localErrors[field] ?? errors[field] ?? null}
          value={text[field]}
          onChange={(event) => setText({ ...text, [field]: event.target.value })}
        />
      ))}
      <fieldset className="phonebook-admin__group">
        <legend>{t('admin.phonebook.policy.role')}</legend>
        {(['guest', 'host'] as const).map((role) => (
          <div className="phonebook-admin__check" key={role}>
            <input
              id={`phonebook-join-role-${role}`}
              type="radio"
              name="phonebook-join-role"
              data-testid={`phonebook-join-role-${role}`}
              checked={joinRole === role}
              onChange={() => setJoinRole(role)}
            />
            <label htmlFor={`phonebook-join-role-${role}`}>{t(`admin.phonebook.policy.${role}`)}</label>
          </div>
        ))}
      </fieldset>
      <div>
        <Button type="submit" testId="phonebook-policy-save" disabled={busy}>
          {t('admin.phonebook.policy.save')}
        </Button>
      </div>
    </form>
  );
};
