import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { z } from 'zod';
import { App } from './app/app';
import { pickTransport } from './lib/bridge/pick-transport';
import { createTickingClock } from './lib/clock/clock';

// zod probes for `new Function` support, which the strict CSP (no 'unsafe-eval') forbids and
// reports as a violation; validate without code generation instead.
z.config({ jitless: true });

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
