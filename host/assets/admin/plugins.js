// The admin page for plugins (`GET /admin/plugins`): lists the installed plugins and uploads,
// enables, disables and deletes them through the REST API with the admin token.
//
// Rules this file keeps:
// - the token lives in this tab's sessionStorage only (no other storage, no cookie), and
//   travels only in the `Authorization` header, never in a URL;
// - everything that comes from the server (manifests, statuses, error messages) reaches the
//   page through textContent and createElement, never parsed as HTML, so a plugin's name is
//   text;
// - a 401 forgets the token and asks for it again.
'use strict';

(() => {
  const TOKEN_KEY = 'plugin-host.admin-token';
  const REFRESH_MS = 5000;
  // Upstream's state codes (`PluginState::code`), as badge classes.
  const STATE_CLASS = ['stopped', 'starting', 'running', 'failed', 'failed', 'stopping'];

  const $ = (id) => document.getElementById(id);
  let busy = 0;
  let confirming = null; // the id whose delete waits for confirmation
  let lastRendered = '';
  let lastStatuses = [];

  /** An error answer of the API: its JSON `id` and `message`, and the HTTP status. */
  class ApiError extends Error {
    constructor(status, id, message) {
      super(message);
      this.status = status;
      this.id = id;
    }
  }

  function token() {
    return sessionStorage.getItem(TOKEN_KEY);
  }

  /** One API call with the token; the answer's JSON, or an ApiError. */
  async function api(method, path, body) {
    const current = token();
    if (!current) {
      askToken();
      throw new ApiError(401, 'api.context.admin_token.app_error', 'sign in with the admin token first');
    }
    let response;
    try {
      response = await fetch(path, {
        method,
        body,
        headers: { Authorization: `Bearer ${current}` },
        cache: 'no-store',
        credentials: 'omit',
        referrerPolicy: 'no-referrer',
      });
    } catch (e) {
      throw new ApiError(0, 'network', `the server could not be reached (${e.message})`);
    }
    let data = null;
    try {
      data = await response.json();
    } catch (e) {
      data = null;
    }
    if (!response.ok) {
      const id = data && typeof data.id === 'string' ? data.id : `http.${response.status}`;
      const message = data && typeof data.message === 'string' ? data.message : response.statusText;
      const error = new ApiError(response.status, id, message);
      if (response.status === 401) {
        sessionStorage.removeItem(TOKEN_KEY);
        askToken();
      }
      throw error;
    }
    return data;
  }

  function show(kind, text, detail) {
    const box = $('message');
    box.replaceChildren();
    box.className = `message ${kind}`;
    const main = document.createElement('span');
    main.textContent = text;
    box.append(main);
    if (detail) {
      const small = document.createElement('code');
      small.className = 'detail';
      small.textContent = detail;
      box.append(' ', small);
    }
    box.hidden = false;
  }

  function showError(what, e) {
    if (e instanceof ApiError) {
      const status = e.status ? `${e.status} ` : '';
      show('error', `${what}: ${e.message}`, `${status}${e.id}`);
    } else {
      show('error', `${what}: ${e}`);
    }
  }

  function clearMessage() {
    $('message').hidden = true;
  }

  function askToken() {
    confirming = null; // a delete asked for before the sign-out is not carried over
    $('admin').hidden = true;
    $('refresh').hidden = true;
    $('sign-out').hidden = true;
    $('token-form').hidden = false;
    $('token').value = '';
    $('token').focus();
  }

  function showAdmin() {
    $('token-form').hidden = true;
    $('admin').hidden = false;
    $('refresh').hidden = false;
    $('sign-out').hidden = false;
  }

  function cell(text, className) {
    const td = document.createElement('td');
    if (className) td.className = className;
    td.textContent = text;
    return td;
  }

  function button(label, className, onClick) {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = label;
    if (className) b.className = className;
    b.addEventListener('click', onClick);
    return b;
  }

  function actions(status) {
    const td = document.createElement('td');
    td.className = 'actions';
    const id = status.plugin_id;
    if (confirming === id) {
      const question = document.createElement('span');
      question.className = 'confirm';
      question.textContent = 'Delete this plugin and its files?';
      td.append(
        question,
        button('Delete', 'danger confirm-delete', () => act(`Delete ${id}`, 'DELETE', `/api/v4/plugins/${encodeURIComponent(id)}`)),
        button('Cancel', 'secondary cancel', () => {
          confirming = null;
          render(lastStatuses, true);
        }),
      );
      return td;
    }
    if (status.enabled) {
      td.append(button('Disable', 'secondary disable', () => act(`Disable ${id}`, 'POST', `/api/v4/plugins/${encodeURIComponent(id)}/disable`)));
    } else {
      td.append(button('Enable', 'enable', () => act(`Enable ${id}`, 'POST', `/api/v4/plugins/${encodeURIComponent(id)}/enable`)));
    }
    td.append(
      button('Delete', 'danger-outline delete', () => {
        confirming = id;
        render(lastStatuses, true);
      }),
    );
    return td;
  }

  function render(statuses, force) {
    const key = JSON.stringify(statuses) + String(confirming);
    if (!force && key === lastRendered) return;
    lastRendered = key;
    lastStatuses = statuses;
    const rows = statuses.map((s) => {
      const tr = document.createElement('tr');
      tr.dataset.id = s.plugin_id;
      const plugin = document.createElement('td');
      plugin.className = 'plugin';
      const name = document.createElement('div');
      name.className = 'name';
      name.textContent = s.name || s.plugin_id;
      const id = document.createElement('div');
      id.className = 'id';
      id.textContent = s.plugin_id;
      plugin.append(name, id);
      if (s.description) {
        const description = document.createElement('div');
        description.className = 'description';
        description.textContent = s.description;
        plugin.append(description);
      }
      const state = document.createElement('td');
      const badge = document.createElement('span');
      badge.className = `badge ${STATE_CLASS[s.state] || 'stopped'}`;
      badge.dataset.state = String(s.state);
      badge.textContent = s.state_name;
      state.append(badge);
      if (s.enabled && s.state !== 2) {
        const note = document.createElement('div');
        note.className = 'note';
        note.textContent = 'enabled';
        state.append(note);
      }
      tr.append(plugin, cell(s.version, 'version'), state, cell(s.error || '', 'error'), actions(s));
      return tr;
    });
    document.querySelector('#plugins tbody').replaceChildren(...rows);
    $('plugins').hidden = statuses.length === 0;
    $('empty').hidden = statuses.length !== 0;
  }

  async function refresh() {
    const statuses = await api('GET', '/api/v4/plugins/statuses');
    statuses.sort((a, b) => a.plugin_id.localeCompare(b.plugin_id));
    if (confirming && !statuses.some((s) => s.plugin_id === confirming)) confirming = null;
    showAdmin();
    render(statuses, false);
  }

  /** Runs one change (or the upload), then shows its outcome and the new list. */
  async function run(what, change, success) {
    busy += 1;
    document.body.classList.add('busy');
    try {
      const answer = await change();
      confirming = null;
      show('ok', success(answer));
    } catch (e) {
      showError(what, e);
      if (e instanceof ApiError && e.status === 401) return;
    } finally {
      busy -= 1;
      if (!busy) document.body.classList.remove('busy');
    }
    try {
      await refresh();
    } catch (e) {
      showError('Listing the plugins', e);
    }
  }

  function act(what, method, path) {
    return run(what, () => api(method, path), () => `${what}: done.`);
  }

  function upload(event) {
    event.preventDefault();
    const file = $('bundle').files[0];
    if (!file) {
      show('error', 'Choose a bundle (.tar.gz) to upload first.');
      return;
    }
    const form = new FormData();
    // `force` must come before `plugin`: the server installs the bundle as it streams.
    if ($('force').checked) form.append('force', 'true');
    form.append('plugin', file, file.name);
    run(`Upload ${file.name}`, () => api('POST', '/api/v4/plugins', form), (manifest) => {
      $('bundle').value = '';
      $('force').checked = false;
      return `Installed ${manifest.name || manifest.id} ${manifest.version} (${manifest.id}). Enable it to start it.`;
    });
  }

  async function signIn(event) {
    event.preventDefault();
    const value = $('token').value.trim();
    if (!value) return;
    sessionStorage.setItem(TOKEN_KEY, value);
    $('token').value = '';
    clearMessage();
    try {
      await refresh();
    } catch (e) {
      showError('Sign in', e);
    }
  }

  function signOut() {
    sessionStorage.removeItem(TOKEN_KEY);
    clearMessage();
    askToken();
  }

  async function start() {
    $('token-form').addEventListener('submit', signIn);
    $('upload-form').addEventListener('submit', upload);
    $('sign-out').addEventListener('click', signOut);
    $('refresh').addEventListener('click', () => {
      clearMessage();
      refresh().catch((e) => showError('Listing the plugins', e));
    });
    // Keep the states current (a plugin may crash or restart) while nothing else happens.
    setInterval(() => {
      if (busy || confirming || !token() || document.hidden) return;
      // A failed background refresh stays quiet, unless it signed the page out.
      refresh().catch((e) => {
        if (e instanceof ApiError && e.status === 401) showError('Listing the plugins', e);
      });
    }, REFRESH_MS);
    if (!token()) {
      askToken();
      return;
    }
    try {
      await refresh();
    } catch (e) {
      showError('Listing the plugins', e);
    }
  }

  document.addEventListener('DOMContentLoaded', start);
})();
