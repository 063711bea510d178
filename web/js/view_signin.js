// Sign-in: an operator (or admin) token, pasted or scanned from a badge's
// barcode (Enter signs in). A token bound to a station goes straight there.
import { h } from './dom.js';
import { AuthError, NetworkError } from './gql.js';

export function signinView(main, { signIn, navigate, home }) {
  const input = h('input', {
    id: 'token', type: 'password', autocomplete: 'off', autocapitalize: 'off', spellcheck: 'false',
    enterkeyhint: 'go', required: true, 'aria-describedby': 'token-help token-error',
  });
  const error = h('p', { id: 'token-error', class: 'field-error', role: 'alert' });
  const button = h('button', { type: 'submit', class: 'primary' }, 'Sign in');
  const form = h('form', { class: 'panel narrow', novalidate: true },
    h('h1', { text: 'Sign in to this station' }),
    h('label', { for: 'token' }, 'API token'),
    input,
    h('p', { id: 'token-help', class: 'help' },
      'An operator token (mesd token create --role operator) or an admin token. It stays on this device until you sign out.'),
    error,
    button);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const token = input.value.trim();
    error.textContent = '';
    if (!token) {
      error.textContent = 'Scan or paste your token.';
      input.focus();
      return;
    }
    button.disabled = true;
    try {
      await signIn(token);
      navigate(home());
    } catch (err) {
      error.textContent = err instanceof AuthError ? 'This token is not accepted by mesd. Check it and try again.'
        : err instanceof NetworkError ? 'mesd cannot be reached. Check the network and try again.'
          : err.message;
      input.focus();
      input.select();
    } finally {
      button.disabled = false;
    }
  });
  main.append(form);
  input.focus();
  return () => {};
}
