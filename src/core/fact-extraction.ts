/**
 * Fact extraction for disagreement finding: the titles, numbers, dates and places each sentence
 * states, each anchored to the entity or noun it is about (a title to a person's surname, a value
 * to the nearest non-verb content word and the content words around it) and normalised (case,
 * "U.S."/"US", spelled-out numbers and multipliers, month names) so that facts can be compared
 * across sources.
 */
import { stemmer } from 'stemmer';
import { type DocSentence, type WordToken, capitalisedRuns, isCapitalised, wordTokens } from './story-grouping.ts';
import { STOP_WORDS } from './tokenizer.ts';

/** The usable sentences of one document and its outlet. */
export interface DisagreementInput {
  documentId: string;
  /** Outlet; facts are compared between sources, never within one. */
  source: string;
  sentences: DocSentence[];
}

/** The kinds of fact compared across sources. */
export type FactKind = 'title' | 'number' | 'date' | 'place';

/** One stated fact: a value attached to an entity or noun, in one sentence of one source. */
export interface Fact {
  kind: FactKind;
  /** Entity key (title: surname) or the head noun stem the value is attached to. */
  key: string;
  /** Content stems around the value; two non-title facts are about the same thing when these overlap. */
  window: Set<string>;
  /** Normalised value parts; a value that is a subset of another agrees with it. */
  parts: string[];
  /** The value as written. */
  display: string;
  /** Human label of what the fact is about (a full name, a noun phrase). */
  subject: string;
  source: string;
  sentence: DocSentence;
}

/** Role nouns that make a preceding or enclosing phrase a title. */
const ROLES = new Set(
  `secretary minister president chancellor governor senator congressman congresswoman spokesman spokeswoman
spokesperson envoy ambassador director chief chairman chairwoman chair ceo cfo general admiral mayor judge
justice commissioner premier king queen prince princess leader commander speaker treasurer officer coach
manager founder editor attorney sheriff prosecutor lieutenant colonel captain sergeant marshal pope bishop
rabbi imam dean provost principal superintendent`.split(/\s+/),
);
const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const MONTH_ABBR = MONTHS.map((m) => m.slice(0, 3));
const SPELLED: Record<string, number> = {
  two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12,
  twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90, hundred: 100,
};
const MULTIPLIERS: Record<string, number> = { thousand: 1e3, million: 1e6, billion: 1e9, trillion: 1e12 };
/** Words next to a value that are (probably) verbs, skipped when looking for the noun it is attached to. */
const VERBISH = /^(?:set|held|due|slated|is|are|was|were|will|would|be|been|\p{L}+ed)$/u;
/** Modifiers that do not change what a title is. */
const TITLE_NOISE = new Set(['of', 'the', 'for', 'former', 'acting', 'then', 'us', 'u.s', 'u.s.', 'and']);

function monthIndex(token: string): number {
  const t = token.toLowerCase().replace(/\.$/, '');
  const full = MONTHS.indexOf(t);
  return full >= 0 ? full : t.length === 3 && t !== 'may' ? MONTH_ABBR.indexOf(t) : -1;
}

const isContent = (t: string): boolean => {
  const l = t.toLowerCase();
  return !STOP_WORDS.has(l) && !/^\$?\d/.test(l) && monthIndex(l) < 0 && l.length > 1;
};
const stem = (t: string): string => stemmer(t.toLowerCase().replace(/['’]s$/, ''));

/** Up to `n` content-token indices before `at` (nearest first) and after `at` (nearest first). */
function neighbours(tokens: WordToken[], at: number, dir: -1 | 1, n: number): number[] {
  const out: number[] = [];
  for (let k = at + dir; k >= 0 && k < tokens.length && out.length < n; k += dir) if (isContent(tokens[k]!.text)) out.push(k);
  return out;
}

function span(sentence: DocSentence, tokens: WordToken[], from: number, to: number): string {
  return sentence.text.slice(tokens[from]!.start, tokens[to]!.end);
}

/** Title facts: "Defense Secretary Antony Blinken", "Taliban spokesman Zabihullah Mujahid". */
function titleFacts(s: DocSentence, tokens: WordToken[], source: string, out: Fact[]): void {
  for (const run of capitalisedRuns(tokens)) {
    let role = -1;
    for (let k = run.from; k < run.to; k++) if (ROLES.has(tokens[k]!.text.toLowerCase())) role = k;
    let titleFrom = run.from;
    let titleTo: number; // exclusive
    let nameFrom: number;
    if (role >= 0) {
      const afterRole = role + 1;
      if (afterRole < run.to && ['of', 'for'].includes(tokens[afterRole]!.text)) {
        const k = run.to - afterRole - 1;
        const nameLen = k >= 3 ? 2 : k === 2 ? 1 : 0;
        if (!nameLen) continue;
        nameFrom = run.to - nameLen;
      } else nameFrom = afterRole;
      titleTo = nameFrom;
    } else {
      // A lower-case role noun right before the name: "State Department spokesman Ned Price".
      const prev = run.from - 1;
      if (prev < 0 || !tokens[run.from]!.joined || !ROLES.has(tokens[prev]!.text)) continue;
      titleTo = prev + 1;
      nameFrom = run.from;
      titleFrom = prev;
      const before = capitalisedRuns(tokens.slice(0, prev)).at(-1);
      if (before && before.to === prev && tokens[prev]!.joined) titleFrom = before.from;
    }
    if (nameFrom >= run.to || titleFrom >= titleTo) continue;
    const nameTokens = tokens.slice(nameFrom, run.to).map((t) => t.text.replace(/['’]s$/, ''));
    if (nameTokens.some((t) => ROLES.has(t.toLowerCase()) || STOP_WORDS.has(t.toLowerCase()))) continue;
    const parts = tokens
      .slice(titleFrom, titleTo)
      .map((t) => t.text.toLowerCase().replace(/\.$/, ''))
      .filter((t) => !TITLE_NOISE.has(t))
      .map((t) => stemmer(t));
    if (!parts.length) continue;
    out.push({
      kind: 'title',
      key: nameTokens.at(-1)!.toLowerCase(),
      window: new Set(),
      parts,
      display: span(s, tokens, titleFrom, titleTo - 1),
      subject: nameTokens.join(' '),
      source,
      sentence: s,
    });
  }
}

/** Number, date and place facts, each anchored to the content words around it. */
function valueFacts(s: DocSentence, tokens: WordToken[], source: string, out: Fact[]): void {
  const push = (kind: FactKind, from: number, to: number, parts: string[], anchorSide: -1 | 1): void => {
    const before = neighbours(tokens, from, -1, 4);
    const after = neighbours(tokens, to, 1, 4);
    const side = anchorSide === 1 ? (after.length ? after : before) : before.length ? before : after;
    if (!side.length) return;
    // The noun the value is attached to: the nearest content word that does not look like a verb.
    const near = side.find((k) => !VERBISH.test(tokens[k]!.text.toLowerCase())) ?? side[0]!;
    // The subject shown to users: that noun with its directly attached words ("final withdrawal of troops").
    const dir = near > to ? 1 : -1;
    let a = near;
    let b = near;
    for (let k = near + dir, n = 1; k >= 0 && k < tokens.length && n < 4; k += dir, n++) {
      const t = tokens[k]!.text;
      const joinedToPrev = dir === 1 ? tokens[k]!.joined : tokens[k + 1]!.joined;
      if (!joinedToPrev || !(isContent(t) || t === 'of') || VERBISH.test(t.toLowerCase())) break;
      if (isContent(t)) [a, b] = dir === 1 ? [a, k] : [k, b];
    }
    const window = new Set(
      (anchorSide === 1 ? [...before.slice(0, 2), ...after] : [...before, ...after.slice(0, 2)]).map((k) => stem(tokens[k]!.text)),
    );
    out.push({
      kind,
      key: stem(tokens[near]!.text),
      window,
      parts,
      display: (s.text[tokens[from]!.start - 1] === '$' ? '$' : '') + span(s, tokens, from, to),
      subject: span(s, tokens, a, b),
      source,
      sentence: s,
    });
  };
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!.text;
    const m = monthIndex(t);
    // Dates: "May 1", "May 1, 2021", "1 May", "February 2020" (a capitalised month name only).
    if (m >= 0 && isCapitalised(t)) {
      const next = tokens[i + 1]?.text ?? '';
      const day = /^\d{1,2}$/.test(next) && Number(next) <= 31 ? Number(next) : undefined;
      const yearTok = day ? tokens[i + 2]?.text : next;
      const year = yearTok && /^(1[89]|20)\d\d$/.test(yearTok) ? yearTok : undefined;
      if (day === undefined && year === undefined) continue;
      const last = i + (day ? 1 : 0) + (year ? 1 : 0);
      const parts = [`m${m + 1}`, ...(day ? [`d${day}`] : []), ...(year ? [`y${year}`] : [])];
      push('date', i, last, parts, -1);
      i = last;
      continue;
    }
    // Numbers: "2,500 soldiers", "$4.2 million", "12 percent", "eight-page", "three days".
    const hyphen = /^(\d[\d,]*|[a-z]+)-(\p{L}+)$/u.exec(t);
    const raw = hyphen ? hyphen[1]! : t;
    let value: number | undefined;
    if (/^\d[\d,]*(\.\d+)?$/.test(raw)) value = Number(raw.replace(/,/g, ''));
    else if (SPELLED[raw.toLowerCase()] !== undefined) value = SPELLED[raw.toLowerCase()];
    if (value === undefined || Number.isNaN(value)) continue;
    // Times ("1:40"), fractions and "9/11" are not quantities.
    if (/[/:]/.test(s.text[tokens[i]!.start - 1] ?? '') || /[/:]/.test(s.text[tokens[i]!.end] ?? '')) continue;
    const prevTok = tokens[i - 1]?.text ?? '';
    if (!hyphen && /^(1[89]|20)\d\d$/.test(raw) && !s.text.slice(0, tokens[i]!.start).endsWith('$')) continue; // a year
    if (monthIndex(prevTok) >= 0 || monthIndex(tokens[i + 1]?.text ?? '') >= 0) continue; // part of a date
    let last = i;
    const mult = MULTIPLIERS[(tokens[i + 1]?.text ?? '').toLowerCase()];
    if (mult && !hyphen) {
      value *= mult;
      last = i + 1;
    }
    const currency = s.text.slice(Math.max(0, tokens[i]!.start - 1), tokens[i]!.start) === '$' ? '$' : '';
    const percent = /^(percent|per cent|%)/i.test(s.text.slice(tokens[last]!.end).trim()) ? '%' : '';
    const unit = hyphen ? `-${stem(hyphen[2]!)}` : '';
    push('number', i, last, [`${currency}${value}${percent}${unit}`], 1);
    i = last;
  }
  // Places: "in Istanbul", "at the Bonn conference" is not a place of an event, so only "in|at <Run>" + end/punctuation/lower.
  for (const run of capitalisedRuns(tokens)) {
    const prep = tokens[run.from - 1]?.text;
    if ((prep !== 'in' && prep !== 'at') || monthIndex(tokens[run.from]!.text) >= 0) continue;
    const parts = tokens.slice(run.from, run.to).map((t) => t.text.toLowerCase());
    push('place', run.from, run.to - 1, [parts.join(' ')], -1);
  }
}

/** Extracts the facts stated in the given documents' sentences (exported for tests and tuning). */
export function extractFacts(inputs: DisagreementInput[]): Fact[] {
  const facts: Fact[] = [];
  for (const input of inputs) {
    for (const s of input.sentences) {
      const tokens = wordTokens(s.text);
      titleFacts(s, tokens, input.source, facts);
      valueFacts(s, tokens, input.source, facts);
    }
  }
  return facts;
}
