/**
 * The phonebook panel: a search form, then the person's ongoing meetings with "Deltag" (a
 * one-time link into that meeting, opened in a new tab: joining leaves your own meeting)
 * "Flyt hertil" (the person is moved into your meeting) and "Ring mødet op" (their whole
 * meeting is dialled into yours: the two rooms are bridged). Every state is shown in
 * `data-testid="phonebook-status"` (`data-state`: idle, searching, results, empty, error,
 * joining, moving, moved, dialling, dialled) and read out (role="status").
 */
import { registerWidget } from '@pexip/plugin-api';
import { call, checkReference, type LookupAnswer, type PhonebookResult, type RefKind } from './api';
import { readContext } from '../../shared/context';

type State =
  | 'idle'
  | 'searching'
  | 'results'
  | 'empty'
  | 'error'
  | 'joining'
  | 'moving'
  | 'moved'
  | 'dialling'
  | 'dialled';

const context = readContext(window.location.hash, window.location.origin);

const el = <K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Partial<HTMLElementTagNameMap[K]> = {},
  testId?: string,
): HTMLElementTagNameMap[K] => {
  const node = Object.assign(document.createElement(tag), props);
  if (testId) node.setAttribute('data-testid', testId);
  return node;
};

const time = (iso: string): string =>
  new Date(iso).toLocaleTimeString('da-DK', { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Copenhagen' });

const status = el('p', { role: 'status' }, 'phonebook-status');
const list = el('ul', {}, 'phonebook-results');

const show = (state: State, message: string): void => {
  status.dataset.state = state;
  status.textContent = message;
};

const renderResult = (result: PhonebookResult): HTMLLIElement => {
  const item = el('li', {}, 'phonebook-result');
  item.dataset.alias = result.meeting.alias;
  const who = result.display_name ?? 'Navn skjult (ingen behandlingsrelation)';
  const role = result.role === 'host' ? 'vært' : 'deltager';
  item.append(
    el('strong', { textContent: who }),
    el('p', {
      textContent: `${result.party.name} · ${result.system.name} · som ${role} siden kl. ${time(result.since)}`,
    }),
    el('p', { textContent: `${result.meeting.title ?? 'Møde'} (${result.meeting.alias})` }),
  );
  const join = el('button', { type: 'button', textContent: 'Deltag', disabled: !result.can_join }, 'phonebook-join');
  const move = el('button', { type: 'button', textContent: 'Flyt hertil', disabled: !result.can_move }, 'phonebook-move');
  const dial = el('button', { type: 'button', textContent: 'Ring mødet op', disabled: !result.can_dial }, 'phonebook-dial');
  if (!result.can_join && !result.can_move && !result.can_dial) {
    item.append(el('p', { textContent: 'Mødets ejer tillader ikke at deltage, flytte eller ringe op herfra.' }));
  }
  join.addEventListener('click', () => {
    // Opened now, in the click, so the browser allows it; pointed at the link when it comes.
    const tab = window.open('about:blank', '_blank');
    show('joining', 'Åbner mødet…');
    void call<{ url: string }>(context, 'join', { handle: result.handle }).then((outcome) => {
      if (!outcome.ok) {
        tab?.close();
        show('error', outcome.message);
        return;
      }
      const url = `${context.api}${outcome.value.url}`;
      if (tab) tab.location.href = url;
      else window.open(url, '_blank');
      show('joining', 'Mødet åbner i en ny fane. Dit eget møde her afsluttes.');
    });
  });
  move.addEventListener('click', () => {
    move.disabled = true;
    show('moving', `Flytter ${result.display_name ?? 'personen'} ind i dit møde…`);
    void call<{ alias: string }>(context, 'move', { handle: result.handle }).then((outcome) => {
      if (!outcome.ok) {
        move.disabled = false;
        show('error', outcome.message);
        return;
      }
      show('moved', `${result.display_name ?? 'Personen'} er flyttet ind i dit møde.`);
    });
  });
  dial.addEventListener('click', () => {
    dial.disabled = true;
    show('dialling', `Ringer mødet hos ${result.party.name} op ind i dit møde…`);
    void call<{ alias: string }>(context, 'dial', { handle: result.handle }).then((outcome) => {
      if (!outcome.ok) {
        dial.disabled = false;
        show('error', outcome.message);
        return;
      }
      show('dialled', `Mødet hos ${result.party.name} er ringet op og deltager nu i dit møde.`);
    });
  });
  item.append(join, move, dial);
  return item;
};

const main = async (): Promise<void> => {
  await registerWidget({ parentPluginId: 'phonebook' }).catch(() => undefined);
  const form = el('form', {}, 'phonebook-form');
  const kind = el('select', {}, 'phonebook-kind');
  kind.append(el('option', { value: 'cpr', textContent: 'CPR-nummer' }), el('option', { value: 'staff', textContent: 'Medarbejder-id' }));
  kind.setAttribute('aria-label', 'Slags reference');
  const input = el('input', { type: 'text', autocomplete: 'off', spellcheck: false }, 'phonebook-reference');
  input.setAttribute('aria-label', 'Reference');
  input.placeholder = 'Fx 010190-1234';
  // A plain button, not a form submission: the sandbox may not allow forms.
  const submit = el('button', { type: 'button', textContent: 'Søg' }, 'phonebook-search');
  form.append(kind, input, submit);
  form.addEventListener('submit', (event) => event.preventDefault());
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') submit.click();
  });
  submit.addEventListener('click', () => {
    const refKind = kind.value as RefKind;
    const problem = checkReference(refKind, input.value);
    list.replaceChildren();
    if (problem) {
      show('error', problem);
      return;
    }
    show('searching', 'Søger…');
    submit.disabled = true;
    void call<LookupAnswer>(context, 'lookup', { person: { kind: refKind, id: input.value.trim() } }).then(
      (outcome) => {
        submit.disabled = false;
        input.value = ''; // the reference is not kept on the page
        if (!outcome.ok) {
          show('error', outcome.message);
          return;
        }
        if (outcome.value.count === 0) {
          show('empty', 'Personen er ikke i et videomøde lige nu.');
          return;
        }
        list.replaceChildren(...outcome.value.results.map(renderResult));
        show('results', outcome.value.count === 1 ? 'Personen er i ét møde.' : `Personen er i ${outcome.value.count} møder.`);
      },
    );
  });
  document.body.append(el('h1', { textContent: 'Telefonbog' }), form, status, list);
  show('idle', 'Søg efter en borger (CPR-nummer) eller en kollega (medarbejder-id).');
};

void main();
