import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/app';
import { pickTransport } from './lib/bridge/pick-transport';
import { createTickingClock } from './lib/clock/clock';

const container = document.getElementById('root');
if (!container) throw new Error('renderer/index.html has no #root element');

// Owned by the page: the transport and the clock live exactly as long as the console does.
const transport = pickTransport(window);
const clock = createTickingClock(1_000);

createRoot(container).render(
  <StrictMode>
    <App transport={transport} clock={clock} />
  </StrictMode>,
);
