// The options page: pairing, the server connection, preferences and custom domains, bound to its model.
import type { OptionsModel } from '../models/options';
import { CalibrateForm } from './CalibrateForm';
import { DomainList } from './DomainList';
import { FlaggedReadings } from './FlaggedReadings';
import { PriceProposals } from './PriceProposals';
import { NotPaired } from './NotPaired';
import { PairForm } from './PairForm';
import { PrefsForm } from './PrefsForm';
import { ServerStatus } from './ServerStatus';
import { UnpairBox } from './UnpairBox';

export interface OptionsProps {
  model: OptionsModel;
}

export function Options({ model: m }: OptionsProps) {
  const s = m.status.value;
  const paired = !!s?.pairing;
  const lead = s?.pairing?.member.role === 'lead' || s?.pairing?.member.role === 'owner';
  return (
    <main class="options">
      <h1>Creditwatch options</h1>
      {m.loadError.value && <p class="error" data-testid="error">{m.loadError.value}</p>}
      {s && !paired && <NotPaired serverHint={m.server.value} />}
      <PairForm
        server={m.server.value} code={m.code.value} errors={m.fieldErrors.value} status={m.pairStatus.value}
        busy={m.pairState.value.state === 'busy'} paired={paired}
        onServer={m.setServer} onCode={m.setCode} onSubmit={m.submitPair}
      />
      {paired && <UnpairBox confirming={m.confirmingUnpair.value} warning={m.unpairWarning.value} onAsk={m.askUnpair} onConfirm={m.unpair} />}
      <ServerStatus view={m.serverStatus.value} onRefresh={m.refresh} />
      {paired && <CalibrateForm {...m.calibration.value} onChange={m.setCalibration} onSubmit={m.calibrate} />}
      {lead && <PriceProposals proposals={m.proposals.value} error={m.proposalError.value} onLoad={m.loadProposals} onDecide={m.decide} />}
      <FlaggedReadings flagged={s?.flaggedReadings ?? []} />
      <PrefsForm prefs={s?.prefs} error={m.prefsError.value} onChange={m.setPref} />
      <DomainList
        domains={s?.domains ?? []} input={m.domainInput.value} error={m.domainError.value} busy={m.busy.value}
        onInput={m.setDomainInput} onAdd={m.addDomain} onRemove={m.removeDomain}
      />
    </main>
  );
}
