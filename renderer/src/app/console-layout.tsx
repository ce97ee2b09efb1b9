import { useEffect, useState } from 'react';
import { PanelBoundary } from '../components/error-boundary';
import { DrillsPanel } from '../features/drills/drills-panel';
import { OverviewPanel } from '../features/overview/overview-panel';
import { TrainingBanner } from '../features/overview/overview-summary';
import { isPlainShortcut } from '../lib/keyboard';
import { ConsoleHeader } from './console-header';
import { HelpOverlay } from './help-overlay';

export function ConsoleLayout() {
  const [helpOpen, setHelpOpen] = useState(false);

  useEffect(() => {
    function onKey(event: KeyboardEvent): void {
      if (event.key === '?' && isPlainShortcut(event)) {
        event.preventDefault();
        setHelpOpen(true);
      }
    }
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  return (
    <div className="console">
      <PanelBoundary>
        <TrainingBanner />
      </PanelBoundary>
      <PanelBoundary>
        <ConsoleHeader onHelp={() => setHelpOpen(true)} />
      </PanelBoundary>
      <main className="console__main">
        <div className="console__primary">
          <PanelBoundary>
            <OverviewPanel />
          </PanelBoundary>
        </div>
        <aside className="console__side">
          <PanelBoundary>
            <DrillsPanel />
          </PanelBoundary>
        </aside>
      </main>
      {helpOpen && <HelpOverlay onClose={() => setHelpOpen(false)} />}
    </div>
  );
}
