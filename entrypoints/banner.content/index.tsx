import ReactDOM from 'react-dom/client';
import { browser } from 'wxt/browser';
import { createShadowRootUi } from 'wxt/utils/content-script-ui/shadow-root';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { defineContentScript } from 'wxt/utils/define-content-script';
import { Banner } from '../../components/Banner';
import type { BackgroundToContent, BannerView, ContentToBackground } from '../../lib/messages';

/**
 * The advisory banner, injected into a tab's top frame by the background only when
 * there is something to say, so its UI code costs nothing on pages without prompts.
 */
export default defineContentScript({
  matches: ['http://127.0.0.1/*'],
  registration: 'runtime',
  cssInjectionMode: 'manual',
  main(ctx) {
    // Return at once: scripting.executeScript waits for a returned promise, and the
    // background must not sit on that while the banner asks it for state.
    void mountBanner(ctx);
  },
});

async function mountBanner(ctx: ContentScriptContext): Promise<void> {
  {
    const send = (message: ContentToBackground) => browser.runtime.sendMessage(message);
    let view: BannerView | undefined;
    let root: ReactDOM.Root | undefined;

    const ui = await createShadowRootUi(ctx, {
      name: 'mo-advisor-banner',
      position: 'overlay',
      anchor: 'body',
      append: 'last',
      mode: 'open',
      onMount(container) {
        root = ReactDOM.createRoot(container);
        return root;
      },
      onRemove(mounted) {
        mounted?.unmount();
      },
    });

    const render = () => {
      if (!view) return;
      if (!ui.mounted) ui.mount();
      root?.render(
        <Banner
          view={view}
          onDismiss={(toolId) => void send({ type: 'banner/dismiss', toolId })}
          onSnooze={() => void send({ type: 'banner/snooze' })}
        />,
      );
    };

    browser.runtime.onMessage.addListener((message: unknown) => {
      const m = message as BackgroundToContent;
      if (m?.type === 'tab/state') {
        view = m.view;
        render();
      }
      return undefined;
    });
    view = (await send({ type: 'banner/get-state' })) as BannerView;
    render();
  }
}
