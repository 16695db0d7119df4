import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useStore } from '../../store/context';
import { ErrorAlert } from '../common/Feedback';
import {
  describedBy,
  ServerCheckResult,
  UnencryptedNote,
  useServerCheck,
} from '../ServerCheckResult';
import { localReach } from '../../../../shared/status-words';
import { serverName } from '../../../../shared/values/server-url';
import { skippedSettings, welcomeSettings, type PlayMode } from './welcome-choices';

interface StepProps {
  step: 1 | 2;
  title: string;
  onSubmit: (event: FormEvent) => void;
  children: React.ReactNode;
}

/** One step: its heading takes focus when the step appears, so a screen reader hears it. */
function Step({ step, title, onSubmit, children }: StepProps) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <form
      className="welcome card"
      data-testid={`welcome-step-${step}`}
      onSubmit={onSubmit}
      noValidate
    >
      <p className="welcome-progress">Step {step} of 2</p>
      <h1 className="view-title" tabIndex={-1} ref={heading}>
        {title}
      </h1>
      {children}
    </form>
  );
}

/** The two ways to play; who can join without a server follows this app's `lan_listen`. */
function modes(reach: string): readonly { mode: PlayMode; title: string; hint: string }[] {
  return [
    {
      mode: 'server',
      title: 'With a server',
      hint: 'Friends anywhere on the internet can join your parties.',
    },
    {
      mode: 'local',
      title: 'Without a server (LAN)',
      hint: `Only ${reach} can join. Add a server later in Settings.`,
    },
  ];
}

function ModeChoice({ mode, onMode }: { mode: PlayMode; onMode: (mode: PlayMode) => void }) {
  const reach = useStore((s) => localReach(s.status));
  return (
    <fieldset className="choices">
      <legend className="visually-hidden">How you play</legend>
      {modes(reach).map((choice) => (
        <label className="choice" key={choice.mode}>
          <input
            type="radio"
            name="mode"
            data-testid={`welcome-mode-${choice.mode}`}
            checked={mode === choice.mode}
            onChange={() => onMode(choice.mode)}
          />
          <span>
            <strong>{choice.title}</strong>
            <span className="hint">{choice.hint}</span>
          </span>
        </label>
      ))}
    </fieldset>
  );
}

/** How to play: as configured; opened by an invite to a party on a server, that server. */
function usePlayMode(configured: string | null) {
  const [mode, setMode] = useState<PlayMode>(configured ? 'server' : 'local');
  const [server, setServer] = useState(configured ?? '');
  const invited = useStore((s) => s.invite?.server ?? null);
  const [offered, setOffered] = useState<string | null>(null);
  if (invited !== null && invited !== offered) {
    setOffered(invited);
    setMode('server');
    setServer(invited);
  }
  return { mode, setMode, server, setServer };
}

/** The welcome's answers so far, and its two submit handlers. */
function useWelcomeForm() {
  const settings = useStore((s) => s.settings);
  const finish = useStore((s) => s.finishWelcome);
  const [step, setStep] = useState<1 | 2>(1);
  const [name, setName] = useState(settings?.peer_name ?? '');
  const { mode, setMode, server, setServer } = usePlayMode(settings?.control_server ?? null);
  const [error, setError] = useState<string | null>(null);
  const serverCheck = useServerCheck(mode === 'server' ? server : '');
  const submit = (event: FormEvent, answer: ReturnType<typeof welcomeSettings>) => {
    event.preventDefault();
    setError(answer.ok ? null : answer.message);
    return answer.ok ? answer.settings : null;
  };
  return {
    step,
    setStep,
    fields: { name, setName, mode, setMode, server, setServer },
    error,
    skip: () => void finish(skippedSettings(name, settings)),
    next: (event: FormEvent) => {
      if (submit(event, welcomeSettings(name, 'local', ''))) setStep(2);
    },
    serverCheck,
    done: (event: FormEvent) => {
      const chosen = submit(event, welcomeSettings(name, mode, server));
      const url = chosen?.control_server ?? null;
      if (!chosen) return;
      // The same check as Settings: say whether the server answers before going on.
      void (async () => {
        if (url === null || (await serverCheck.mayUse(url))) await finish(chosen);
      })();
    },
  };
}

function SkipButton({ busy, onSkip }: { busy: boolean; onSkip: () => void }) {
  return (
    <button
      type="button"
      className="button"
      data-testid="welcome-skip"
      disabled={busy}
      onClick={onSkip}
    >
      Skip
    </button>
  );
}

type WelcomeForm = ReturnType<typeof useWelcomeForm>;

/** Opened by an invite: it waits until the welcome is done (the join sends the name). */
function Invited() {
  const invite = useStore((s) => s.invite);
  if (invite === null) return null;
  const where = invite.server === null ? '' : ` on ${serverName(invite.server)}`;
  return (
    <p className="hint" data-testid="welcome-invited">
      You have an invite to a party{where}: LANrage asks you to join it once you are done here.
    </p>
  );
}

function NameStep({ form, skip }: { form: WelcomeForm; skip: React.ReactNode }) {
  return (
    <Step key={1} step={1} title="Welcome to LANrage" onSubmit={form.next}>
      <p className="hint">Two quick questions and you are ready to party.</p>
      <Invited />
      <label className="field">
        <span className="label">Your display name (your friends see it)</span>
        <input
          data-testid="welcome-name"
          value={form.fields.name}
          onChange={(e) => form.fields.setName(e.target.value)}
        />
      </label>
      <ErrorAlert message={form.error} testId="welcome-error" />
      <div className="dialog-actions">
        {skip}
        <button type="submit" className="button button-primary" data-testid="welcome-next">
          Next
        </button>
      </div>
    </Step>
  );
}

function ServerAddress({ server, onServer }: { server: string; onServer: (url: string) => void }) {
  return (
    <label className="field">
      <span className="label">Server address (ask whoever runs it)</span>
      <input
        data-testid="welcome-server"
        value={server}
        placeholder="wss://control.example.com"
        spellCheck={false}
        aria-describedby={describedBy('', server, 'welcome-server-plain')}
        onChange={(e) => onServer(e.target.value)}
      />
      <UnencryptedNote text={server} id="welcome-server-plain" />
    </label>
  );
}

/** The last button says what it is doing: testing the server, saving, or what a click does. */
function startWords(check: WelcomeForm['serverCheck'], busy: boolean): string {
  if (check.checking) return 'Testing server…';
  if (busy) return 'Saving…';
  return check.anyway ? 'Start anyway' : 'Start playing';
}

function ModeStep({
  form,
  skip,
  busy,
}: {
  form: WelcomeForm;
  skip: React.ReactNode;
  busy: boolean;
}) {
  const saveError = useStore((s) => s.errors.welcome);
  const { mode, setMode, server, setServer } = form.fields;
  return (
    <Step key={2} step={2} title="How do you play?" onSubmit={form.done}>
      <ModeChoice mode={mode} onMode={setMode} />
      {mode === 'server' && <ServerAddress server={server} onServer={setServer} />}
      {mode === 'server' && (
        <ServerCheckResult check={form.serverCheck.check} anyway="start anyway" />
      )}
      <ErrorAlert message={form.error ?? saveError} testId="welcome-error" />
      <div className="dialog-actions">
        <button type="button" className="button" onClick={() => form.setStep(1)}>
          Back
        </button>
        {skip}
        <button
          type="submit"
          className="button button-primary"
          data-testid="welcome-done"
          disabled={busy || form.serverCheck.checking}
        >
          {startWords(form.serverCheck, busy)}
        </button>
      </div>
    </Step>
  );
}

/** The first-run welcome: your name, then how you play. Skippable; shown once. */
export function Welcome() {
  const busy = useStore((s) => s.busy.welcome === true);
  const form = useWelcomeForm();
  const skip = <SkipButton busy={busy} onSkip={form.skip} />;
  return form.step === 1 ? (
    <NameStep form={form} skip={skip} />
  ) : (
    <ModeStep form={form} skip={skip} busy={busy} />
  );
}
