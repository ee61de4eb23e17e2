/** The phonebook plugin's words (plugins/shared/i18n.ts): `t` speaks the language last chosen. */
import { type Catalogue, type Language, translator } from '../../shared/i18n';

type Key =
  | 'button'
  | 'title'
  | 'intro'
  | 'kind'
  | 'cpr'
  | 'staff'
  | 'reference'
  | 'placeholder'
  | 'search'
  | 'searching'
  | 'none'
  | 'one'
  | 'many'
  | 'nameHidden'
  | 'asHost'
  | 'asGuest'
  | 'where'
  | 'meeting'
  | 'join'
  | 'move'
  | 'dial'
  | 'notAllowed'
  | 'opening'
  | 'opened'
  | 'moving'
  | 'thePerson'
  | 'moved'
  | 'ThePerson'
  | 'dialling'
  | 'dialled'
  | 'empty'
  | 'cprForm'
  | 'cprDate'
  | 'expired'
  | 'forbidden'
  | 'noAccess'
  | 'stale'
  | 'noHost'
  | 'tooMany'
  | 'failed'
  | 'failedStatus'
  | 'hostOnly'
  | 'offline';

const MESSAGES: Catalogue<Key> = {
  da: {
    button: 'Telefonbog',
    title: 'Telefonbog',
    intro: 'Søg efter en borger (CPR-nummer) eller en kollega (medarbejder-id).',
    kind: 'Slags reference',
    cpr: 'CPR-nummer',
    staff: 'Medarbejder-id',
    reference: 'Reference',
    placeholder: 'Fx 010190-1234',
    search: 'Søg',
    searching: 'Søger…',
    none: 'Personen er ikke i et videomøde lige nu.',
    one: 'Personen er i ét møde.',
    many: 'Personen er i {{count}} møder.',
    nameHidden: 'Navn skjult (ingen behandlingsrelation)',
    asHost: 'vært',
    asGuest: 'deltager',
    where: '{{party}} · {{system}} · som {{role}} siden kl. {{time}}',
    meeting: 'Møde',
    join: 'Deltag',
    move: 'Flyt hertil',
    dial: 'Ring mødet op',
    notAllowed: 'Mødets ejer tillader ikke at deltage, flytte eller ringe op herfra.',
    opening: 'Åbner mødet…',
    opened: 'Mødet åbner i en ny fane. Dit eget møde her afsluttes.',
    moving: 'Flytter {{name}} ind i dit møde…',
    thePerson: 'personen',
    moved: '{{name}} er flyttet ind i dit møde.',
    ThePerson: 'Personen',
    dialling: 'Ringer mødet hos {{party}} op ind i dit møde…',
    dialled: 'Mødet hos {{party}} er ringet op og deltager nu i dit møde.',
    empty: 'Skriv et CPR-nummer eller et medarbejder-id.',
    cprForm: 'Et CPR-nummer er 10 cifre, fx 010190-1234.',
    cprDate: 'CPR-nummerets dato findes ikke.',
    expired: 'Din adgang til telefonbogen er udløbet. Genindlæs siden.',
    forbidden: 'Det er ikke tilladt: {{reason}}',
    noAccess: 'ingen adgang',
    stale: 'Resultatet er forældet. Søg igen.',
    noHost: 'Personens møde har ingen vært lige nu, og andre venter i det. Bed mødets vært om at deltage først.',
    tooMany: 'Der er søgt for mange gange lige nu. Vent et minut.',
    failed: 'Det lykkedes ikke: {{reason}}',
    failedStatus: 'Det lykkedes ikke (fejl {{status}}).',
    hostOnly: 'Telefonbogen kan kun bruges af mødets vært.',
    offline: 'Ingen forbindelse til Borgervideo. Prøv igen.',
  },
  en: {
    button: 'Phone book',
    title: 'Phone book',
    intro: 'Search for a citizen (CPR number) or a colleague (staff id).',
    kind: 'Kind of reference',
    cpr: 'CPR number',
    staff: 'Staff id',
    reference: 'Reference',
    placeholder: 'E.g. 010190-1234',
    search: 'Search',
    searching: 'Searching…',
    none: 'The person is not in a video meeting right now.',
    one: 'The person is in one meeting.',
    many: 'The person is in {{count}} meetings.',
    nameHidden: 'Name hidden (no care relationship)',
    asHost: 'host',
    asGuest: 'participant',
    where: '{{party}} · {{system}} · as {{role}} since {{time}}',
    meeting: 'Meeting',
    join: 'Join',
    move: 'Move here',
    dial: 'Dial the meeting',
    notAllowed: "The meeting's owner does not allow joining, moving or dialling from here.",
    opening: 'Opening the meeting…',
    opened: 'The meeting opens in a new tab. Your own meeting here ends.',
    moving: 'Moving {{name}} into your meeting…',
    thePerson: 'the person',
    moved: '{{name}} has been moved into your meeting.',
    ThePerson: 'The person',
    dialling: 'Dialling the meeting at {{party}} into your meeting…',
    dialled: 'The meeting at {{party}} is dialled and now takes part in your meeting.',
    empty: 'Type a CPR number or a staff id.',
    cprForm: 'A CPR number has 10 digits, e.g. 010190-1234.',
    cprDate: "The CPR number's date does not exist.",
    expired: 'Your access to the phone book has expired. Reload the page.',
    forbidden: 'Not allowed: {{reason}}',
    noAccess: 'no access',
    stale: 'The result is out of date. Search again.',
    noHost:
      "The person's meeting has no host right now, and others are waiting in it. Ask the meeting's host to join first.",
    tooMany: 'Too many searches right now. Wait a minute.',
    failed: 'That did not work: {{reason}}',
    failedStatus: 'That did not work (error {{status}}).',
    hostOnly: "Only the meeting's host can use the phone book.",
    offline: 'No connection to Borgervideo. Try again.',
  },
};

export let language: Language = 'da';
export let t = translator(MESSAGES, language);

export const speak = (chosen: Language): void => {
  language = chosen;
  t = translator(MESSAGES, chosen);
};
