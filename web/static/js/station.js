// The station's name, certificate and credit code (GET /api/station) in a page's header and footer.
import { apiOrNull } from './api.js';
import { $ } from './dom.js';

export async function loadStation() {
  const station = (await apiOrNull('/api/station')) ?? {};
  if (station.name) {
    const name = $('#station-name');
    if (name) {
      name.removeAttribute('data-i18n');
      name.textContent = station.name;
    }
    const footerName = $('#footer-name');
    if (footerName) footerName.textContent = station.name;
  }
  if (station.certificate && $('#footer-certificate')) {
    $('#certificate').textContent = station.certificate;
    $('#footer-certificate').hidden = false;
  }
  if (station.credit_code && $('#footer-credit')) {
    $('#credit-code').textContent = station.credit_code;
    $('#footer-credit').hidden = false;
  }
  return station;
}
