// Messages of the console and watch page: French or English, from /web/messages/{lang}.json.
// The language is, in order: ?lang=, the switch's last choice (sessionStorage), then <html lang>, which the server
// set from Accept-Language.

const STORE = 'fluxrelay.lang';
const LANGUAGES = ['en', 'fr'];
let messages = {};
let current = 'en';

/** The language to show now. */
export function chosenLanguage() {
  const asked = new URLSearchParams(location.search).get('lang');
  if (LANGUAGES.includes(asked)) return asked;
  let stored = null;
  try { stored = sessionStorage.getItem(STORE); } catch (e) { /* storage off: no memory of the switch */ }
  if (LANGUAGES.includes(stored)) return stored;
  return document.documentElement.lang === 'fr' ? 'fr' : 'en';
}

/** Loads a language's messages and translates the page. */
export async function useLanguage(lang) {
  const response = await fetch(`/web/messages/${lang}.json`);
  if (!response.ok) throw new Error(`messages ${lang}: HTTP ${response.status}`);
  messages = await response.json();
  current = lang;
  document.documentElement.lang = lang;
  try { sessionStorage.setItem(STORE, lang); } catch (e) { /* not kept */ }
  translate(document);
}

/** The current language. */
export function language() {
  return current;
}

/** A message by key, with {name} placeholders filled from vars. A missing key shows as itself, to be noticed. */
export function t(key, vars = {}) {
  const text = messages[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in vars ? String(vars[name]) : whole));
}

/** A number in the current language's notation (4.8 / 4,8). */
export function number(value, digits = 1) {
  return Number(value).toLocaleString(current === 'fr' ? 'fr-FR' : 'en-GB',
    { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** Fills every element's text (data-i18n), aria-label (data-i18n-label) and placeholder (data-i18n-placeholder). */
export function translate(root) {
  root.querySelectorAll('[data-i18n]').forEach(el => { el.textContent = t(el.dataset.i18n); });
  root.querySelectorAll('[data-i18n-label]').forEach(el => { el.setAttribute('aria-label', t(el.dataset.i18nLabel)); });
  root.querySelectorAll('[data-i18n-placeholder]').forEach(el => { el.placeholder = t(el.dataset.i18nPlaceholder); });
  const title = document.querySelector('title[data-i18n]');
  if (title) document.title = t(title.dataset.i18n);
}

/** Makes a button switch between French and English; onChange runs after the new messages are applied. */
export function languageSwitch(button, onChange) {
  const label = () => {
    const other = current === 'fr' ? 'en' : 'fr';
    button.textContent = other === 'fr' ? 'Français' : 'English';
    button.lang = other;
    button.setAttribute('hreflang', other);
  };
  label();
  button.addEventListener('click', async () => {
    await useLanguage(current === 'fr' ? 'en' : 'fr');
    label();
    if (onChange) onChange();
  });
}
