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
import { browserLanguage, hostLanguage } from '../../shared/i18n';
import { language, speak, t } from './messages';

type State =
  'idle' | 'searching' | 'results' | 'empty' | 'error' | 'joining' | 'moving' | 'moved' | 'dialling' | 'dialled';

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
  new Date(iso).toLocaleTimeString(language === 'da' ? 'da-DK' : 'en-GB', {
    hour: '2-digit',
    minute: '2-digit',
    timeZone: 'Europe/Copenhagen',
  });

const status = el('p', { role: 'status' }, 'phonebook-status');
const list = el('ul', {}, 'phonebook-results');

const show = (state: State, message: string): void => {
  status.dataset.state = state;
  status.textContent = message;
};

const renderResult = (result: PhonebookResult): HTMLLIElement => {
  const item = el('li', {}, 'phonebook-result');
  item.dataset.alias = result.meeting.alias;
  const who = result.display_name ?? t('nameHidden');
  const role = result.role === 'host' ? t('asHost') : t('asGuest');
  item.append(
    el('strong', { textContent: who }),
    el('p', {
      textContent: t('where', { party: result.party.name, system: result.system.name, role, time: time(result.since) }),
    }),
    el('p', { textContent: `${result.meeting.title ?? t('meeting')} (${result.meeting.alias})` }),
  );
  const join = el('button', { type: 'button', textContent: t('join'), disabled: !result.can_join }, 'phonebook-join');
  const move = el('button', { type: 'button', textContent: t('move'), disabled: !result.can_move }, 'phonebook-move');
  const dial = el('button', { type: 'button', textContent: t('dial'), disabled: !result.can_dial }, 'phonebook-dial');
  if (!result.can_join && !result.can_move && !result.can_dial) {
    item.append(el('p', { textContent: t('notAllowed') }));
  }
  join.addEventListener('click', () => {
    // Opened now, in the click, so the browser allows it; pointed at the link when it comes.
    const tab = window.open('about:blank', '_blank');
    show('joining', t('opening'));
    void call<{ url: string }>(context, 'join', { handle: result.handle }).then((outcome) => {
      if (!outcome.ok) {
        tab?.close();
        show('error', outcome.message);
        return;
      }
      const url = `${context.api}${outcome.value.url}`;
      if (tab) tab.location.href = url;
      else window.open(url, '_blank');
      show('joining', t('opened'));
    });
  });
  move.addEventListener('click', () => {
    move.disabled = true;
    show('moving', t('moving', { name: result.display_name ?? t('thePerson') }));
    void call<{ alias: string }>(context, 'move', { handle: result.handle }).then((outcome) => {
      if (!outcome.ok) {
        move.disabled = false;
        show('error', outcome.message);
        return;
      }
      show('moved', t('moved', { name: result.display_name ?? t('ThePerson') }));
    });
  });
  dial.addEventListener('click', () => {
    dial.disabled = true;
    show('dialling', t('dialling', { party: result.party.name }));
    void call<{ alias: string }>(context, 'dial', { handle: result.handle }).then((outcome) => {
      if (!outcome.ok) {
        dial.disabled = false;
        show('error', outcome.message);
        return;
      }
      show('dialled', t('dialled', { party: result.party.name }));
    });
  });
  item.append(join, move, dial);
  return item;
};

const main = async (): Promise<void> => {
  const widget = await registerWidget({ parentPluginId: 'phonebook' }).catch(() => null);
  let rerender = (): void => undefined;
  const onSwitch = (chosen: 'da' | 'en'): void => {
    speak(chosen);
    rerender();
  };
  speak(widget ? await hostLanguage(widget.events, onSwitch) : browserLanguage());
  const form = el('form', {}, 'phonebook-form');
  const kind = el('select', {}, 'phonebook-kind');
  const cpr = el('option', { value: 'cpr' });
  const staff = el('option', { value: 'staff' });
  kind.append(cpr, staff);
  const input = el('input', { type: 'text', autocomplete: 'off', spellcheck: false }, 'phonebook-reference');
  // A plain button, not a form submission: the sandbox may not allow forms.
  const submit = el('button', { type: 'button' }, 'phonebook-search');
  const heading = el('h1');
  /** Every fixed word in the language now chosen (again after a switch). */
  const render = (): void => {
    document.documentElement.lang = language;
    document.title = t('title');
    heading.textContent = t('title');
    cpr.textContent = t('cpr');
    staff.textContent = t('staff');
    kind.setAttribute('aria-label', t('kind'));
    input.setAttribute('aria-label', t('reference'));
    input.placeholder = t('placeholder');
    submit.textContent = t('search');
    if (status.dataset.state === 'idle') show('idle', t('intro'));
  };
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
    show('searching', t('searching'));
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
          show('empty', t('none'));
          return;
        }
        list.replaceChildren(...outcome.value.results.map(renderResult));
        show('results', outcome.value.count === 1 ? t('one') : t('many', { count: outcome.value.count }));
      },
    );
  });
  document.body.append(heading, form, status, list);
  show('idle', t('intro'));
  render();
  rerender = render;
};

void main();
