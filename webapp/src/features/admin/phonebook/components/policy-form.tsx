import { type FormEvent, useState } from 'react';

import { Button } from '@/components/button';
import { TextField } from '@/components/text-field';

import { PARTY_ID, type PhonebookPolicy, type PolicyField, parseParties } from '../phonebook-api';

export type PolicyErrors = Partial<Record<PolicyField, string>>;

export interface PolicyFormProps {
  policy: PhonebookPolicy;
  busy: boolean;
  /** The refusal's reason by field (from the API), shown by that field. */
  errors: PolicyErrors;
  onSave: (policy: PhonebookPolicy) => void;
}

const FIELDS: { field: PolicyField; label: string; hint: string; testId: string }[] = [
  {
    field: 'lookup_from',
    label: 'Må finde vores møder',
    hint: 'Disse parter ser, at en person er i et af vores møder (aldrig navn eller emne). Parter, der må deltage, flytte eller ringe op, ser det også.',
    testId: 'phonebook-policy-lookup',
  },
  {
    field: 'join_from',
    label: 'Må deltage i vores møder',
    hint: 'Personale fra disse parter må gå med ind i et møde, de har fundet i telefonbogen.',
    testId: 'phonebook-policy-join',
  },
  {
    field: 'move_from',
    label: 'Må flytte personer ud af vores møder',
    hint: 'Personale fra disse parter må flytte en person fra vores møde ind i deres eget.',
    testId: 'phonebook-policy-move',
  },
  {
    field: 'dial_from',
    label: 'Må ringe vores møder op',
    hint: 'Personale fra disse parter må koble vores møde sammen med deres eget.',
    testId: 'phonebook-policy-dial',
  },
];

const COMMON_HINT = 'Parternes id adskilt af komma, fx "region-midt, aarhus". * betyder alle parter. Tomt: ingen.';

const textOf = (policy: PhonebookPolicy) => ({
  lookup_from: (policy.lookup_from ?? []).join(', '),
  join_from: policy.join_from.join(', '),
  move_from: policy.move_from.join(', '),
  dial_from: policy.dial_from.join(', '),
});

/** The party's phonebook policy: which other parties may join, move people out of, or dial its meetings. */
export const PolicyForm = ({ policy, busy, errors, onSave }: PolicyFormProps) => {
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
        found[field] = `Ikke et gyldigt part-id: ${bad.map((id) => `"${id}"`).join(', ')}. Brug små bogstaver, tal og bindestreg, eller *.`;
      }
    }
    setLocalErrors(found);
    if (Object.keys(found).length > 0) return;
    onSave({ ...parsed, join_role: joinRole });
  };

  return (
    <form className="stack" onSubmit={handleSubmit} noValidate data-testid="phonebook-policy">
      <p className="field__hint">{COMMON_HINT}</p>
      {FIELDS.map(({ field, label, hint, testId }) => (
        <TextField
          key={field}
          label={label}
          hint={hint}
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
        <legend>Rolle for personale, der deltager</legend>
        {(
          [
            ['guest', 'Gæst'],
            ['host', 'Vært'],
          ] as const
        ).map(([role, name]) => (
          <div className="phonebook-admin__check" key={role}>
            <input
              id={`phonebook-join-role-${role}`}
              type="radio"
              name="phonebook-join-role"
              data-testid={`phonebook-join-role-${role}`}
              checked={joinRole === role}
              onChange={() => setJoinRole(role)}
            />
            <label htmlFor={`phonebook-join-role-${role}`}>{name}</label>
          </div>
        ))}
      </fieldset>
      <div>
        <Button type="submit" testId="phonebook-policy-save" disabled={busy}>
          Gem reglerne
        </Button>
      </div>
    </form>
  );
};
