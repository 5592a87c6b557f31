// The app in the current tab: this cycle's credits by action and the cost of its last click.
import type { AppView } from '../models/popup';
import { LastFlow } from './LastFlow';
import { ShareList } from './ShareList';

export interface AppPanelProps {
  app: AppView;
}

export function AppPanel({ app }: AppPanelProps) {
  return (
    <section class="card" data-testid="current-app" data-app-id={app.appId}>
      <h2>
        {app.fromTab ? 'This app' : 'Last app used'}: {app.name}
        {app.context && app.fromTab && <span class="tag">{app.context}</span>}
      </h2>
      <LastFlow flow={app.lastFlow} />
      {app.prompts && (
        <p class="muted" data-testid="last-prompts">
          {app.prompts}
        </p>
      )}
      {app.appId && <ShareList testId="app-actions" title="This cycle, by action" rows={app.actions} />}
    </section>
  );
}
