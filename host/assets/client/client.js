// The client (`GET /`): a minimal channel view — the first team's town square, its posts, a box
// to post — that runs plugins' web apps as upstream's web app does. It loads each running
// plugin's bundle (`GET /api/v4/plugins/webapp`) as a script from the plugin's own path; the
// bundle calls `window.registerPlugin(id, plugin)`, and the client calls
// `plugin.initialize(registry, store)` with a registry of upstream's names. A WebSocket
// (`/api/v4/websocket`, upstream's authentication challenge) brings the server's events: a
// plugin enabled is loaded, one disabled is uninitialized and everything it registered removed,
// without a reload; every event also goes to the handlers plugins registered for it.
//
// Rules this file keeps:
// - the token lives in this tab's sessionStorage only (the admin page's key), and travels in
//   the `Authorization` header and the WebSocket's challenge message, never in a URL;
// - everything from the server and from plugins reaches the page as text (textContent) or as
//   DOM nodes a plugin made itself; this file never parses a string as HTML;
// - a plugin's code runs inside try/catch: a failing plugin is reported, the page goes on.
'use strict';

(() => {
  const TOKEN_KEY = 'plugin-host.admin-token';
  const STATIC_PLUGINS = '/static/plugins/';
  const PLAIN_ID = /^[a-zA-Z0-9._-]+$/;
  const POLL_MS = 15000;
  const RECONNECT_MIN_MS = 500;
  const RECONNECT_MAX_MS = 30000;

  const $ = (id) => document.getElementById(id);

  /** An error answer of the API: its JSON `id` and `message`, and the HTTP status. */
  class ApiError extends Error {
    constructor(status, id, message) {
      super(message);
      this.status = status;
      this.id = id;
    }
  }

  // What the page shows.
  const current = { team: null, channel: null, userId: '' };
  let posts = []; // oldest first
  const notices = []; // command answers and other local lines, after the posts

  function token() {
    return sessionStorage.getItem(TOKEN_KEY);
  }

  /** One API call with the token; the answer's JSON, or an ApiError. */
  async function api(method, path, body) {
    const value = token();
    if (!value) throw new ApiError(401, 'api.context.admin_token.app_error', 'sign in with the admin token first');
    let response;
    try {
      response = await fetch(path, {
        method,
        body: body === undefined ? undefined : JSON.stringify(body),
        headers: body === undefined
          ? { Authorization: `Bearer ${value}` }
          : { Authorization: `Bearer ${value}`, 'Content-Type': 'application/json' },
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
      throw new ApiError(response.status, id, message);
    }
    return data;
  }

  function show(box, kind, text, detail) {
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

  function showError(box, what, e) {
    if (e instanceof ApiError) {
      const status = e.status ? `${e.status} ` : '';
      show(box, 'error', `${what}: ${e.message}`, `${status}${e.id}`);
    } else {
      show(box, 'error', `${what}: ${e}`);
    }
  }

  // ---------------------------------------------------------------------------------------
  // Plugins: loading, the registry, unloading.

  /**
   * The loaded plugins by id: { manifest, script, plugin, registrations: Set of ids,
   * handlers: Map event -> handler }.
   */
  const plugins = new Map();
  /** What plugins registered, by registration id. */
  const headerButtons = new Map(); // id -> { pluginId, element }
  const postTypes = new Map(); // id -> { pluginId, type, component }
  const slashHooks = new Map(); // id -> { pluginId, hook }
  let nextRegistration = 1;

  function report(pluginId, what, e) {
    console.error(`plugin ${pluginId}: ${what}:`, e);
    show($('message'), 'error', `Plugin ${pluginId}: ${what}: ${e && e.message ? e.message : e}`);
  }

  /** The bundle URL of a client manifest, if it is on the plugin's own path of this server. */
  function bundleUrl(manifest) {
    const id = manifest && manifest.id;
    const path = manifest && manifest.webapp && manifest.webapp.bundle_path;
    if (typeof id !== 'string' || !PLAIN_ID.test(id) || typeof path !== 'string') return null;
    let url;
    try {
      url = new URL(path, window.location.origin);
    } catch (e) {
      return null;
    }
    const prefix = `${STATIC_PLUGINS}${id}/`;
    const file = url.pathname.slice(prefix.length);
    if (url.origin !== window.location.origin || !url.pathname.startsWith(prefix) || url.search || url.hash) return null;
    if (!PLAIN_ID.test(file) || file.startsWith('.') || url.pathname !== path) return null;
    return url.pathname;
  }

  /** Adds the plugin's bundle to the document; `registerPlugin` finishes the load. */
  function load(manifest) {
    const url = bundleUrl(manifest);
    if (!url) {
      report(manifest && manifest.id, 'not loaded', new Error('its bundle is not on its own path of this server'));
      return;
    }
    const loaded = plugins.get(manifest.id);
    if (loaded && loaded.manifest.webapp.bundle_path === url) return;
    if (loaded) unload(manifest.id);
    const script = document.createElement('script');
    script.src = url;
    script.async = true;
    script.dataset.pluginId = manifest.id;
    const entry = { manifest, script, plugin: null, registrations: new Set(), handlers: new Map() };
    script.addEventListener('error', () => {
      if (plugins.get(manifest.id) === entry) report(manifest.id, 'its bundle did not load', new Error(url));
    });
    plugins.set(manifest.id, entry);
    document.head.append(script);
  }

  /** Calls the plugin's `uninitialize`, removes all it registered and its script. */
  function unload(id) {
    const entry = plugins.get(id);
    if (!entry) return;
    plugins.delete(id);
    if (entry.plugin && typeof entry.plugin.uninitialize === 'function') {
      try {
        entry.plugin.uninitialize();
      } catch (e) {
        report(id, 'uninitialize failed', e);
      }
    }
    for (const registration of entry.registrations) removeRegistration(registration);
    entry.handlers.clear();
    entry.script.remove();
    renderHeader();
    renderPosts();
  }

  /** Makes the loaded set the server's: loads new and changed bundles, unloads the gone. */
  async function syncPlugins() {
    let manifests;
    try {
      manifests = await api('GET', '/api/v4/plugins/webapp');
    } catch (e) {
      showError($('message'), 'Loading plugins', e);
      return;
    }
    const wanted = new Map(manifests.map((m) => [m.id, m]));
    for (const id of [...plugins.keys()]) {
      if (!wanted.has(id)) unload(id);
    }
    for (const manifest of wanted.values()) load(manifest);
  }

  function removeRegistration(registration) {
    const button = headerButtons.get(registration);
    if (button) button.element.remove();
    headerButtons.delete(registration);
    postTypes.delete(registration);
    slashHooks.delete(registration);
  }

  /** A node for what a plugin gave: its own DOM node, or text. */
  function nodeOf(value) {
    if (value instanceof Node) return value;
    return document.createTextNode(value === undefined || value === null ? '' : String(value));
  }

  /** The registry one plugin gets: upstream's names and meanings. */
  function registryFor(pluginId) {
    /** Removes what a `register*` call returned the id of (the plugin's own only). */
    const unregister = (id) => {
      const entry = plugins.get(pluginId);
      if (!entry || !entry.registrations.has(id)) return;
      entry.registrations.delete(id);
      removeRegistration(id);
      renderHeader();
      renderPosts();
    };
    const register = (map, value) => {
      const entry = plugins.get(pluginId);
      const id = `${pluginId}:${nextRegistration++}`;
      map.set(id, { pluginId, ...value });
      if (entry) entry.registrations.add(id);
      return id;
    };
    return {
      /**
       * A button in the channel header. `icon` is text or a DOM node; `action(channel)` runs on
       * a click; `dropdownText` names it (its accessible name), `tooltipText` is its tooltip.
       */
      registerChannelHeaderButtonAction(icon, action, dropdownText, tooltipText) {
        const element = document.createElement('button');
        element.type = 'button';
        element.className = 'plugin-button';
        element.dataset.pluginId = pluginId;
        element.append(nodeOf(icon));
        if (tooltipText) element.title = String(tooltipText);
        if (dropdownText) element.setAttribute('aria-label', String(dropdownText));
        element.addEventListener('click', () => {
          try {
            const result = action(current.channel, {});
            if (result && typeof result.catch === 'function') result.catch((e) => report(pluginId, 'its button failed', e));
          } catch (e) {
            report(pluginId, 'its button failed', e);
          }
        });
        const id = register(headerButtons, { element });
        element.dataset.registration = id;
        renderHeader();
        return id;
      },
      /**
       * How posts of `type` are shown: `component(post)` returns a DOM node (or text) that
       * replaces the message. The newest registration for a type wins.
       */
      registerPostTypeComponent(type, component) {
        const id = register(postTypes, { type: String(type), component });
        renderPosts();
        return id;
      },
      /**
       * Runs before a message that starts with `/` is sent: `hook(message, args)` returns (or
       * resolves to) `{message, args}` to go on with, `{error: {message}}` to stop with an
       * error, or `{}` to swallow the command.
       */
      registerSlashCommandWillBePostedHook(hook) {
        return register(slashHooks, { hook });
      },
      /** `handler(event)` for every WebSocket event named `event`; one per event and plugin. */
      registerWebSocketEventHandler(event, handler) {
        const entry = plugins.get(pluginId);
        if (entry) entry.handlers.set(String(event), handler);
      },
      unregisterWebSocketEventHandler(event) {
        const entry = plugins.get(pluginId);
        if (entry) entry.handlers.delete(String(event));
      },
      unregisterComponent: unregister,
      unregisterPostTypeComponent: unregister,
    };
  }

  /** A small stand-in for upstream's Redux store: the current team, channel and user. */
  const store = {
    getState() {
      return {
        entities: {
          users: { currentUserId: current.userId },
          teams: { currentTeamId: current.team ? current.team.id : '' },
          channels: { currentChannelId: current.channel ? current.channel.id : '' },
        },
      };
    },
    dispatch(action) {
      return action;
    },
    subscribe() {
      return () => {};
    },
  };

  /** Upstream's global: a bundle registers itself. Only a bundle being loaded is accepted. */
  window.registerPlugin = (id, plugin) => {
    const entry = plugins.get(id);
    if (!entry || entry.plugin || !plugin) {
      console.warn(`registerPlugin(${JSON.stringify(id)}): no such plugin is being loaded`);
      return;
    }
    entry.plugin = plugin;
    if (typeof plugin.initialize !== 'function') return;
    try {
      const result = plugin.initialize(registryFor(id), store);
      if (result && typeof result.catch === 'function') result.catch((e) => report(id, 'initialize failed', e));
    } catch (e) {
      report(id, 'initialize failed', e);
    }
  };

  function renderHeader() {
    const buttons = [...headerButtons.values()].map((b) => b.element);
    $('channel-header-buttons').replaceChildren(...buttons);
  }

  // ---------------------------------------------------------------------------------------
  // The channel: posts, posting, slash commands.

  function postTypeComponent(type) {
    let found = null;
    for (const registered of postTypes.values()) {
      if (registered.type === type) found = registered;
    }
    return found;
  }

  function renderPost(post) {
    const div = document.createElement('div');
    div.className = 'post';
    div.dataset.postId = post.id;
    if (post.type) div.dataset.type = post.type;
    const meta = document.createElement('div');
    meta.className = 'meta';
    const when = new Date(post.create_at || 0);
    meta.textContent = `${post.user_id === current.userId ? 'admin' : post.user_id || 'system'} · ${when.toLocaleTimeString()}`;
    const body = document.createElement('div');
    body.className = 'text';
    const custom = post.type ? postTypeComponent(post.type) : null;
    if (custom) {
      try {
        body.append(nodeOf(custom.component(post)));
        body.dataset.pluginId = custom.pluginId;
      } catch (e) {
        report(custom.pluginId, 'its post type component failed', e);
        body.textContent = post.message;
      }
    } else {
      body.textContent = post.message;
    }
    div.append(meta, body);
    return div;
  }

  function renderPosts() {
    const nodes = posts.map(renderPost);
    for (const notice of notices) {
      const div = document.createElement('div');
      div.className = `post notice ${notice.kind}`;
      div.dataset.notice = notice.kind;
      div.textContent = notice.text;
      nodes.push(div);
    }
    $('posts').replaceChildren(...nodes);
    $('empty').hidden = nodes.length !== 0;
    $('posts').scrollTop = $('posts').scrollHeight;
  }

  async function loadPosts() {
    const list = await api('GET', `/api/v4/channels/${encodeURIComponent(current.channel.id)}/posts?per_page=200`);
    posts = (list.order || []).map((id) => list.posts[id]).filter(Boolean).reverse();
    renderPosts();
  }

  function addPost(post) {
    if (!current.channel || post.channel_id !== current.channel.id) return;
    const at = posts.findIndex((p) => p.id === post.id);
    if (at >= 0) posts[at] = post;
    else posts.push(post);
    renderPosts();
  }

  /** Runs the slash hooks of the plugins in registration order; null when swallowed. */
  async function runSlashHooks(message, args) {
    for (const { pluginId, hook } of [...slashHooks.values()]) {
      let result;
      try {
        result = await hook(message, args);
      } catch (e) {
        report(pluginId, 'its slash command hook failed', e);
        continue;
      }
      if (result && result.error) {
        throw new ApiError(0, `plugin.${pluginId}`, String(result.error.message || result.error));
      }
      if (!result || typeof result.message !== 'string') return null;
      message = result.message;
      args = result.args || args;
    }
    return { message, args };
  }

  async function send(event) {
    event.preventDefault();
    const box = $('post-error');
    const input = $('post-text');
    const text = input.value;
    if (!text.trim() || !current.channel) return;
    box.hidden = true;
    $('send').disabled = true;
    try {
      if (text.startsWith('/')) {
        const args = { channel_id: current.channel.id, team_id: current.team.id, root_id: '' };
        const outcome = await runSlashHooks(text, args);
        input.value = '';
        if (!outcome) return;
        const answer = await api('POST', '/api/v4/commands/execute', {
          command: outcome.message,
          channel_id: outcome.args.channel_id || current.channel.id,
          team_id: outcome.args.team_id || current.team.id,
        });
        if (answer && answer.text) {
          notices.push({ kind: 'command', text: answer.text });
          renderPosts();
        }
        return;
      }
      const saved = await api('POST', '/api/v4/posts', { channel_id: current.channel.id, message: text });
      input.value = '';
      addPost(saved);
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) {
        signOut('The admin token was refused', e);
        return;
      }
      showError(box, text.startsWith('/') ? 'The command failed' : 'Not posted', e);
    } finally {
      $('send').disabled = false;
    }
  }

  // ---------------------------------------------------------------------------------------
  // The WebSocket: authentication, events, reconnection with backoff.

  let socket = null;
  let reconnectDelay = RECONNECT_MIN_MS;
  let reconnectTimer = null;
  let lastSeq = 0;

  function connectionState(state) {
    const badge = $('connection');
    badge.dataset.state = state;
    badge.textContent = state;
  }

  function connect() {
    if (socket || !token()) return;
    const scheme = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
    const ws = new WebSocket(`${scheme}//${window.location.host}/api/v4/websocket`);
    socket = ws;
    connectionState('connecting');
    ws.addEventListener('open', () => {
      ws.send(JSON.stringify({ seq: 1, action: 'authentication_challenge', data: { token: token() } }));
    });
    ws.addEventListener('message', (message) => {
      let data;
      try {
        data = JSON.parse(message.data);
      } catch (e) {
        return;
      }
      if (data.seq_reply !== undefined) {
        if (data.seq_reply !== 1) return;
        if (data.status === 'OK') {
          connectionState('connected');
          reconnectDelay = RECONNECT_MIN_MS;
          lastSeq = 0;
          // Whatever happened while we were not listening.
          syncPlugins();
          loadPosts().catch((e) => showError($('message'), 'Loading the posts', e));
        } else {
          // The token was refused; the API will say so too.
          signOut('The admin token was refused', new ApiError(401, data.error && data.error.id, data.error && data.error.message));
        }
        return;
      }
      if (data.event === 'hello' && data.broadcast) current.userId = data.broadcast.user_id || '';
      onEvent(data);
    });
    ws.addEventListener('close', () => {
      if (socket !== ws) return;
      socket = null;
      connectionState('offline');
      if (!token()) return;
      reconnectTimer = setTimeout(() => {
        reconnectTimer = null;
        connect();
      }, reconnectDelay);
      reconnectDelay = Math.min(reconnectDelay * 2, RECONNECT_MAX_MS);
    });
  }

  function disconnect() {
    if (reconnectTimer) clearTimeout(reconnectTimer);
    reconnectTimer = null;
    const ws = socket;
    socket = null;
    if (ws) ws.close();
    connectionState('offline');
  }

  function onEvent(event) {
    if (typeof event.event !== 'string') return;
    // A gap in the numbers: this client fell behind and missed events.
    if (event.seq > 0) {
      const missed = lastSeq > 0 && event.seq > lastSeq + 1;
      lastSeq = event.seq;
      if (missed) syncPlugins();
    }
    const manifest = event.data && event.data.manifest;
    switch (event.event) {
      case 'plugin_enabled':
        if (manifest) load(manifest);
        break;
      case 'plugin_disabled':
        if (manifest && plugins.has(manifest.id)) unload(manifest.id);
        break;
      case 'posted':
      case 'post_edited':
        try {
          addPost(JSON.parse(event.data.post));
        } catch (e) {
          // not a post
        }
        break;
      case 'ephemeral_message':
        // Shown until the posts are read again: it is not saved.
        try {
          const post = typeof event.data.post === 'string' ? JSON.parse(event.data.post) : event.data.post;
          if (post && post.id) addPost(post);
        } catch (e) {
          // not a post
        }
        break;
      case 'post_deleted':
        try {
          const gone = JSON.parse(event.data.post);
          posts = posts.filter((p) => p.id !== gone.id);
          renderPosts();
        } catch (e) {
          // not a post
        }
        break;
      default:
        break;
    }
    for (const [pluginId, entry] of [...plugins]) {
      const handler = entry.handlers.get(event.event);
      if (!handler) continue;
      try {
        handler(event);
      } catch (e) {
        report(pluginId, `its ${event.event} handler failed`, e);
      }
    }
  }

  // ---------------------------------------------------------------------------------------
  // Signing in and out, starting.

  function askToken() {
    $('channel').hidden = true;
    $('sign-out').hidden = true;
    $('token-form').hidden = false;
    $('token').value = '';
    $('token').focus();
  }

  function signOut(why, e) {
    sessionStorage.removeItem(TOKEN_KEY);
    disconnect();
    for (const id of [...plugins.keys()]) unload(id);
    posts = [];
    notices.length = 0;
    renderPosts();
    if (why) showError($('message'), why, e);
    askToken();
  }

  /** Finds the town square (the first team's `town-square`, else its first channel) and shows it. */
  async function open() {
    const teams = await api('GET', '/api/v4/teams');
    if (!teams.length) throw new ApiError(404, 'app.team.get_all.app_error', 'the server has no team');
    const team = teams.find((t) => t.name === 'main') || teams[0];
    const channels = await api('GET', `/api/v4/teams/${encodeURIComponent(team.id)}/channels`);
    const channel = channels.find((c) => c.name === 'town-square') || channels[0];
    if (!channel) throw new ApiError(404, 'app.channel.get_channels.not_found.app_error', `team ${team.name} has no channel`);
    current.team = team;
    current.channel = channel;
    $('team-name').textContent = team.display_name || team.name;
    $('channel-name').textContent = channel.display_name || channel.name;
    document.title = `${channel.display_name || channel.name} · plugin-host`;
    $('token-form').hidden = true;
    $('channel').hidden = false;
    $('sign-out').hidden = false;
    await loadPosts();
    await syncPlugins();
    connect();
  }

  async function start() {
    $('message').hidden = true;
    try {
      await open();
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) {
        signOut(token() ? 'The admin token was refused' : '', e);
        return;
      }
      showError($('message'), 'Opening the channel', e);
    }
  }

  function signIn(event) {
    event.preventDefault();
    const value = $('token').value.trim();
    if (!value) return;
    sessionStorage.setItem(TOKEN_KEY, value);
    $('token').value = '';
    start();
  }

  document.addEventListener('DOMContentLoaded', () => {
    $('token-form').addEventListener('submit', signIn);
    $('post-form').addEventListener('submit', send);
    $('sign-out').addEventListener('click', () => signOut());
    // A safety net for what no event told (another client's posts through a server without
    // events, a lost connection): the posts are read again now and then.
    setInterval(() => {
      if (!token() || !current.channel || document.hidden || socket) return;
      loadPosts().catch(() => {});
    }, POLL_MS);
    if (!token()) {
      askToken();
      return;
    }
    start();
  });
})();
