// Staff sign-in, shared by the host console and the finance desk: the form (#signin), /api/login,
// /api/me at start, and sign-out. The page says what to open for a signed-in member.
import { $ } from './dom.js';
import { t, errorText } from './i18n.js';
import { api } from './api.js';

let open = async () => {};

// The form again; with errorKey, why the member signed in cannot use this page.
export function showSignin(errorKey) {
  $('#console').hidden = true;
  $('#signin').hidden = false;
  $('#who').hidden = true;
  $('#signout').hidden = !errorKey;
  if (errorKey) {
    $('#signin-error').textContent = t(errorKey);
    $('#signin-error').hidden = false;
  }
  $('#signin-name').focus();
}

// The member's name in the top bar, the form away.
export function showSignedIn(me) {
  $('#who').textContent = me.name;
  $('#who').title = t('host.signed_in_as', { name: me.name, role: me.role });
  $('#who').hidden = false;
  $('#signout').hidden = false;
  $('#signin').hidden = true;
  $('#console').hidden = false;
}

async function signIn(e) {
  e.preventDefault();
  const button = $('#signin-submit');
  button.disabled = true;
  $('#signin-error').hidden = true;
  try {
    const me = await api('/api/login', {
      method: 'POST',
      body: { name: $('#signin-name').value.trim(), password: $('#signin-password').value },
    });
    $('#signin-password').value = '';
    await open(me);
  } catch (err) {
    $('#signin-error').textContent = errorText(err);
    $('#signin-error').dataset.code = err.code ?? '';
    $('#signin-error').hidden = false;
  } finally {
    button.disabled = false;
  }
}

// openPage(me) shows the page for a signed-in member; beforeSignOut lets it close what it opened.
// Opens it at once when the browser is still signed in.
export async function startSignin({ openPage, beforeSignOut = () => {} }) {
  open = openPage;
  $('#signin-form').addEventListener('submit', signIn);
  $('#signout').addEventListener('click', async () => {
    await api('/api/logout', { method: 'POST' }).catch(() => null);
    beforeSignOut();
    location.reload();
  });
  const me = await api('/api/me').catch(() => null);
  if (me) await open(me);
  else showSignin();
}
