import { render } from 'preact';
import { connect } from './api';
import { App } from './app';
import { localSession, SignInError } from './auth/local';
import { loadConfig, type Session } from './auth/session';
import { SignedOut } from './pages/SignedOut';
import './styles.css';

const root = document.getElementById('app') as HTMLElement;
// The static "Loading" line is not Preact's: render would keep it beside the app.
const clear = () => root.replaceChildren();

async function start(): Promise<void> {
  const config = await loadConfig();
  clear();
  let session: Session | undefined;
  try {
    session = config.auth === 'cognito' ? await (await import('./auth/cognito')).cognitoSession(config) : await localSession();
  } catch (error) {
    render(<SignedOut reason={error instanceof SignInError ? error.message : String(error)} />, root);
    return;
  }
  if (!session) {
    render(<SignedOut />, root);
    return;
  }
  const signedIn = session;
  connect({
    baseUrl: config.apiUrl,
    token: () => signedIn.token(),
    onUnauthenticated: () => {
      if (signedIn.kind === 'local') {
        void signedIn.signOut();
        render(<SignedOut reason="Your session has ended." />, root);
      }
    },
  });
  render(<App session={signedIn} />, root);
}

start().catch((error: unknown) => {
  clear();
  render(<SignedOut reason={`The console could not start: ${error instanceof Error ? error.message : String(error)}`} />, root);
});
