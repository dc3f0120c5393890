// The demo plugin's web app: plain JavaScript, no bundler, loaded by the server's client page
// (`/`) as upstream's web app loads plugin bundles. It registers with `window.registerPlugin`,
// and in `initialize` it uses upstream's registry:
// - a "Demo" button in the channel header that calls the plugin's `POST /plugins/<id>/ping`;
// - a handler of the plugin's own WebSocket event (`custom_<id>_pinged`, published by `/ping`)
//   that shows the count in a status line (`#demo-pinged`, its count in `data-count`);
// - a slash command hook: `/ping` is swallowed here and pings, other commands go on.
// `uninitialize` removes what it added to the page itself; the client removes its registrations.
'use strict';

(() => {
  const ID = 'com.example.demo';

  class DemoPlugin {
    initialize(registry) {
      // Made with createElement and textContent only; styled through CSSOM (the page's policy
      // forbids inline style attributes, not this).
      const status = document.createElement('div');
      status.id = 'demo-pinged';
      status.setAttribute('role', 'status');
      status.hidden = true;
      Object.assign(status.style, {
        position: 'fixed',
        right: '24px',
        bottom: '24px',
        padding: '10px 16px',
        borderRadius: '8px',
        background: '#1e325c',
        color: '#fff',
        boxShadow: '0 4px 14px rgba(0, 0, 0, 0.2)',
      });
      document.body.append(status);
      this.status = status;

      registry.registerChannelHeaderButtonAction('Demo', () => this.ping(), 'Demo', 'Ping the demo plugin');
      registry.registerWebSocketEventHandler(`custom_${ID}_pinged`, (event) => this.show(event.data.count));
      registry.registerSlashCommandWillBePostedHook((message, args) => {
        if (message.trim() === '/ping') {
          this.ping();
          return {};
        }
        return { message, args };
      });
    }

    uninitialize() {
      if (this.status) this.status.remove();
      this.status = null;
    }

    async ping() {
      const response = await fetch(`/plugins/${ID}/ping`, { method: 'POST', credentials: 'omit' });
      if (!response.ok) throw new Error(`ping answered ${response.status}`);
    }

    show(count) {
      if (!this.status) return;
      this.status.dataset.count = String(count);
      this.status.textContent = `Demo plugin pinged ${count} time${count === 1 ? '' : 's'}`;
      this.status.hidden = false;
    }
  }

  window.registerPlugin(ID, new DemoPlugin());
})();
