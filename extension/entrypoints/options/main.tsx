// Options page: wiring only. The model (models/options.ts) gets the real port; the view is components/Options.tsx.
import { render } from 'preact';
import { useModel } from '@preact/signals';
import { Options } from '../../components/Options';
import { OptionsModel } from '../../models/options';
import { optionsPort } from '../../utils/ports';
import '../../components/theme.css';

function App() {
  const m = useModel(() => new OptionsModel(optionsPort()));
  return <Options model={m} />;
}

render(<App />, document.getElementById('app')!);
