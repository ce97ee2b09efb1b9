/**
 * What the seat may see at all: the lock screen when locked, the sign-in form (full screen) when
 * nobody is signed in and the engine does not allow viewing without a session, else the console.
 * Until the engine has said, nothing that needs a session is rendered: its requests would only
 * be refused.
 */
import { useId, type ReactNode } from 'react';
import { ConnectionStatus } from '../../components/connection-status';
import { useApi, useConnectionState } from '../../lib/api/api-context';
import { useI18n } from '../../lib/i18n/i18n-context';
import { useSessionContext, useSessionQuery } from '../../lib/session/session-context';
import { LockScreen } from './lock-screen';
import { SignInForm } from './sign-in-form';
import './session.css';

function SessionScreen({ children }: { children: ReactNode }) {
  const { transport } = useApi();
  const connection = useConnectionState();
  return (
    <main className="session-screen" data-testid="session-screen">
      <div className="session-screen__link">
        <ConnectionStatus state={connection} onRetry={() => transport.reconnectNow()} />
      </div>
      <div className="session-screen__panel">{children}</div>
    </main>
  );
}

export function SessionGate({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  const query = useSessionQuery();
  const connection = useConnectionState();
  const { expired } = useSessionContext();
  const headingId = useId();
  const session = query.data;

  if (session === undefined) {
    // Not open yet (the console shows its connection state) or the engine cannot say: the
    // console's own requests will show what is wrong.
    if (connection.kind !== 'open' || query.isError) return children;
    return (
      <SessionScreen>
        <p role="status">{t('signIn.checking')}</p>
      </SessionScreen>
    );
  }
  if (session.state === 'locked') return <LockScreen session={session} />;
  if (session.state === 'anonymous' && !session.anonymousViewing)
    return (
      <SessionScreen>
        <SignInForm session={session} expired={expired} headingId={headingId} />
      </SessionScreen>
    );
  return children;
}
