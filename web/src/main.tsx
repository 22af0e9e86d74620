import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import { Session } from './session/session';
import { SessionProvider } from './session/session-context';
import './styles.css';

const session = new Session({ locks: navigator.locks });
// A reload keeps the person signed in: the refresh cookie is traded for a new access token.
void session.restore();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <SessionProvider session={session}>
      <App />
    </SessionProvider>
  </StrictMode>,
);
