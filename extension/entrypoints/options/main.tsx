import { render } from 'preact';
import { NotPaired } from '../../components/NotPaired';

render(<NotPaired />, document.getElementById('app')!);
