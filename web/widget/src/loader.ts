// The embeddable loader: <script src="https://HOST/widget.js" data-site-key="default" async></script>
// It draws only a bubble (inside a shadow root, so host CSS cannot reach it) and, on the
// first click, an iframe with the chat page: the chat code loads only then and runs isolated from
// the host page's CSS and JS. Kept tiny: a size budget test fails above 5 KB gzipped.

interface KefuWindow extends Window { __kefuWidgetLoaded?: boolean }

(() => {
  const w = window as KefuWindow;
  if (w.__kefuWidgetLoaded) return;
  w.__kefuWidgetLoaded = true;

  const script = (document.currentScript ??
    document.querySelector('script[src*="widget.js"][data-site-key]')) as HTMLScriptElement | null;
  if (!script) return;
  const data = script.dataset;
  const origin = new URL(script.src, location.href).origin;
  const zh = (data.lang || navigator.language || '').toLowerCase().startsWith('zh');
  const lang = zh ? 'zh-CN' : 'en';
  const left = data.position === 'left' || data.position === 'bottom-left';
  const color = /^#[0-9a-f]{3,8}$/i.test(data.color || '') ? data.color! : '#1677ff';
  const label = zh ? ['打开在线客服', '关闭在线客服', '在线客服'] : ['Open chat', 'Close chat', 'Chat'];

  const pageContext = () => ({
    pageUrl: location.href,
    referrer: document.referrer,
    title: document.title,
    locale: navigator.language,
  });

  const host = document.createElement('div');
  host.setAttribute('data-kefu-widget', '');
  const root = host.attachShadow({ mode: 'open' });
  const side = left ? 'left' : 'right';
  const style = document.createElement('style');
  style.textContent =
    `:host{all:initial}` +
    `.b{position:fixed;${side}:20px;bottom:20px;width:56px;height:56px;border-radius:50%;border:0;cursor:pointer;` +
    `background:${color};color:#fff;box-shadow:0 4px 14px rgba(0,0,0,.25);z-index:2147483646;display:flex;` +
    `align-items:center;justify-content:center;padding:0}` +
    `.b svg{width:28px;height:28px;fill:currentColor}` +
    `.n{position:absolute;top:-2px;${side === 'left' ? 'right' : 'left'}:-2px;min-width:18px;height:18px;border-radius:9px;` +
    `background:#f5222d;color:#fff;font:12px/18px sans-serif;text-align:center;padding:0 4px;box-sizing:border-box}` +
    `.p{position:fixed;${side}:20px;bottom:88px;width:380px;height:600px;max-height:calc(100vh - 108px);` +
    `border:0;border-radius:12px;box-shadow:0 8px 30px rgba(0,0,0,.25);z-index:2147483647;background:#fff}` +
    `@media (max-width:480px){.p{left:0;right:0;top:0;bottom:0;width:100%;height:100%;max-height:none;border-radius:0}}`;
  const button = document.createElement('button');
  button.className = 'b';
  button.type = 'button';
  button.setAttribute('aria-label', label[0]!);
  button.setAttribute('aria-expanded', 'false');
  button.innerHTML = // static markup, no data in it
    '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M12 3C6.5 3 2 6.6 2 11c0 2.4 1.3 4.6 3.4 6.1L4.5 21l4.3-2.3c1 .2 2.1.3 3.2.3 5.5 0 10-3.6 10-8s-4.5-8-10-8z"/></svg>';
  const badge = document.createElement('span');
  badge.className = 'n';
  badge.hidden = true;
  button.append(badge);
  root.append(style, button);

  let frame: HTMLIFrameElement | null = null;
  let open = false;

  const post = (message: Record<string, unknown>) => frame?.contentWindow?.postMessage(message, origin);

  const toggle = (show: boolean) => {
    open = show;
    button.setAttribute('aria-expanded', String(show));
    button.setAttribute('aria-label', label[show ? 1 : 0]!);
    if (show && !frame) {
      const query = new URLSearchParams({ siteKey: data.siteKey || 'default', embed: '1', lang, color });
      if (data.greeting) query.set('greeting', data.greeting);
      // The team and skills this entry point routes to (data-team="sales" data-skills="zh,vip").
      if (data.team) query.set('team', data.team);
      if (data.skills) query.set('skills', data.skills);
      // Identity and page context go in the fragment: never sent to the server in the URL.
      const fragment = new URLSearchParams(pageContext());
      for (const key of ['userId', 'name', 'email', 'signature'] as const) {
        const value = data[key];
        if (value) fragment.set(key, value);
      }
      frame = document.createElement('iframe');
      frame.className = 'p';
      frame.title = label[2]!;
      frame.src = `${origin}/chat?${query}#${fragment}`;
      frame.setAttribute('allow', 'clipboard-write');
      root.append(frame);
    }
    if (frame) frame.hidden = !show;
    post({ type: 'kefu:visible', visible: show });
    if (show) badge.hidden = true;
  };

  button.addEventListener('click', () => toggle(!open));

  addEventListener('message', (ev: MessageEvent) => {
    if (!frame || ev.source !== frame.contentWindow || ev.origin !== origin) return;
    const msg = ev.data as { type?: string; count?: number } | null;
    if (msg?.type === 'kefu:close') toggle(false);
    else if (msg?.type === 'kefu:ready') post({ type: 'kefu:visible', visible: open });
    else if (msg?.type === 'kefu:unread' && !open) {
      const count = Number(msg.count) || 0;
      badge.textContent = count > 99 ? '99+' : String(count);
      badge.hidden = count === 0;
    }
  });

  // Single-page apps: report each navigation so the agent sees where the visitor is.
  let lastUrl = location.href;
  const navigated = () => {
    if (location.href === lastUrl) return;
    lastUrl = location.href;
    post({ type: 'kefu:page', context: pageContext() });
  };
  for (const method of ['pushState', 'replaceState'] as const) {
    const original = history[method];
    history[method] = function (this: History, ...args: Parameters<History['pushState']>) {
      const result = original.apply(this, args);
      setTimeout(navigated); // after the app has set the new title
      return result;
    };
  }
  addEventListener('popstate', navigated);
  addEventListener('hashchange', navigated);

  const mount = () => document.body.append(host);
  if (document.body) mount();
  else addEventListener('DOMContentLoaded', mount);
})();
