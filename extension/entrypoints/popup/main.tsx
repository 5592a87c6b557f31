// Popup: wiring only. The model (models/popup.ts) gets the real port; the view is components/Popup.tsx.
import { render } from 'preact';
import { useModel } from '@preact/signals';
import { Popup } from '../../components/Popup';
import { PopupModel } from '../../models/popup';
import { popupPort } from '../../utils/ports';
import '../../components/theme.css';

function App() {
  const m = useModel(() => new PopupModel(popupPort()));
  return <Popup view={m.view.value} error={m.error.value} refreshing={m.refreshing.value} onRefresh={m.refresh} onOpenOptions={m.openOptions} onAlertAction={m.alertAction} />;
}

render(<App />, document.getElementById('app')!);
