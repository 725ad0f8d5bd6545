import '../../lib/zod-setup';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createBrowserPopupApi } from '../../components/popup/api';
import { PopupApp } from '../../components/popup/PopupApp';
import '../../components/popup/popup.css';

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <PopupApp api={createBrowserPopupApi(window.location.search)} initialHash={window.location.hash} />
    </StrictMode>,
  );
}
