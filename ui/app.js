// The app's page-wide behaviour, installed once by the invisible `#rag-assets` component (ui/assets.py).
// ui/assets.py fills in the stylesheet's text below; `trigger` sends an event with data to Python.
// The chat's HTML is sanitised (no data-* or aria-* attributes survive), so buttons carry what they
// act on in their `value`, and an answer's toolbar its exchange id in its element id.

if (!document.getElementById('rag-style')) {
  const style = document.createElement('style');
  style.id = 'rag-style';
  style.textContent = CSS_TEXT;
  document.head.appendChild(style);
}

const closestIn = (event, selector) =>
  event.target instanceof Element ? event.target.closest(selector) : null;

if (!window.ragSidebar) {
  // The conversation sidebar covers the whole screen on phones: there it starts closed, and closes
  // again once a conversation is chosen; wider screens keep it open beside the chat. Gradio mounts
  // the sidebar (open) on its own schedule, and a click before it is ready is lost, so at start the
  // page keeps closing it for a few seconds, until it has stayed closed, or the user opens it.
  window.ragSidebar = true;
  const phone = window.matchMedia('(max-width: 768px)');
  const parts = () => {
    const bar = document.getElementById('sidebar');
    return [bar, bar ? bar.querySelector('.toggle-button') : null];
  };
  window.ragCloseSidebarOnPhone = () => {
    const [bar, toggle] = parts();
    if (phone.matches && toggle && bar.classList.contains('open')) toggle.click();
  };
  let touched = false;
  let closedFor = 0;
  const watch = (tries) => {
    if (touched || !phone.matches) return;
    const [bar, toggle] = parts();
    if (toggle && bar.classList.contains('open')) { toggle.click(); closedFor = 0; }
    else if (toggle) closedFor += 1;
    if (tries > 0 && closedFor < 25) setTimeout(() => watch(tries - 1), 20);
  };
  watch(500);
  document.addEventListener('click', (event) => {
    if (event.isTrusted && closestIn(event, '#sidebar .toggle-button')) touched = true;
    if (closestIn(event, '#sidebar button.open-conversation, #new-chat')) window.ragCloseSidebarOnPhone();
  });
}

if (!window.ragCopy) {
  // A `button.copy` puts its value on the clipboard and says so in its label for a moment.
  window.ragCopy = true;
  document.addEventListener('click', (event) => {
    const button = closestIn(event, 'button.copy');
    if (!button) return;
    event.preventDefault();
    event.stopPropagation();
    const label = button.textContent;
    const done = (word) => {
      button.textContent = word;
      setTimeout(() => { button.textContent = label; }, 1500);
    };
    navigator.clipboard.writeText(button.value || '').then(() => done('Copied'), () => done('Copy failed'));
  }, true);
}

if (!window.ragCitations) {
  // A click on `[n]` (or Enter on it) opens the source with that id inside the same answer (never
  // another answer's), scrolls to it and moves focus to it; capture phase, so the chat does not
  // treat it as a link. Escape inside an opened source closes it and returns to its marker.
  window.ragCitations = true;
  document.addEventListener('click', (event) => {
    const link = closestIn(event, 'a.cite');
    const answer = link ? link.closest('.answer') : null;
    if (!answer) return;
    event.preventDefault();
    event.stopPropagation();
    const id = (link.getAttribute('href') || '').slice(1);
    const source = Array.from(answer.querySelectorAll('details.source')).find((d) => d.id === id);
    if (!source) return;
    source.open = true;
    source.classList.remove('flash');
    void source.offsetWidth;
    source.classList.add('flash');
    source.scrollIntoView({block: 'nearest'});
    const summary = source.querySelector('summary');
    if (summary) summary.focus({preventScroll: true});
  }, true);
  document.addEventListener('keydown', (event) => {
    const source = event.key === 'Escape' && event.target instanceof Element
      ? event.target.closest('.answer details.source[open]') : null;
    if (!source) return;
    event.preventDefault();
    event.stopPropagation();
    source.open = false;
    const answer = source.closest('.answer');
    const marker = answer && Array.from(answer.querySelectorAll('a.cite'))
      .find((a) => a.getAttribute('href') === '#' + source.id);
    (marker || source.querySelector('summary')).focus();
  }, true);
}

if (!window.ragActions) {
  // An answer's toolbar: rate it (sent to the server, which asks for an optional note), ask its
  // question again with the current settings, or open a cited article in the library's reader.
  window.ragActions = true;
  document.addEventListener('click', (event) => {
    const rate = closestIn(event, '.actions button.rate');
    if (rate) {
      event.preventDefault();
      const bar = rate.closest('.actions');
      bar.querySelectorAll('button.rate').forEach((b) => b.classList.toggle('chosen', b === rate));
      trigger('click', {exchange: bar.id.replace('exchange-', ''), rating: rate.value});
      return;
    }
    const again = closestIn(event, 'button.ask-again');
    if (again) {
      event.preventDefault();
      const box = document.querySelector('#question textarea');
      box.value = again.value;
      box.dispatchEvent(new Event('input', {bubbles: true}));
      setTimeout(() => document.querySelector('#ask').click(), 0);
      return;
    }
    const open = closestIn(event, 'button.open-article');
    if (open) {
      event.preventDefault();
      trigger('select', {target: open.value});
    }
  });
}
