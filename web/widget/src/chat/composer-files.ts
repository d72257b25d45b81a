// The composer's file controls: attach button (file picker), paste and drop of files, and voice
// recording with MediaRecorder (with a clear message when the browser cannot record or the
// microphone is refused).
import { droppedFiles, formatDuration, imageFiles, VoiceError, VoiceRecorder, voiceSupported, type AttachmentKind } from '@kefu/sdk';
import { h } from './dom';
import type { Texts } from './i18n';

export interface FileSend { file: Blob; name?: string; kind?: AttachmentKind; durationSeconds?: number }

const MAX_VOICE_SECONDS = 120;

export interface FileControls {
  attachButton: HTMLButtonElement;
  fileInput: HTMLInputElement;
  voiceButton: HTMLButtonElement;
  recordingBar: HTMLElement;
  notice: HTMLElement;
}

export function fileControls(t: Texts, send: (f: FileSend) => void, canSend: () => boolean): FileControls {
  const fileInput = h('input', { type: 'file', multiple: true, class: 'file-input', tabindex: '-1', 'aria-hidden': 'true' });
  const attachButton = h('button', { type: 'button', class: 'icon-button attach', 'aria-label': t.attach, title: t.attachHint }, '📎');
  const voiceButton = h('button', { type: 'button', class: 'icon-button voice-toggle', 'aria-label': t.recordVoice, title: t.recordVoice }, '🎤');
  const notice = h('div', { class: 'notice', role: 'alert', hidden: true });
  const timer = h('span', { class: 'recording-time' });
  const stopButton = h('button', { type: 'button', class: 'send' }, t.sendVoice);
  const cancelButton = h('button', { type: 'button', class: 'leave-cancel' }, t.cancelRecording);
  const recordingBar = h('div', { class: 'recording', role: 'group', 'aria-label': t.recordVoice, hidden: true },
    h('span', { class: 'recording-dot', 'aria-hidden': 'true' }), timer, stopButton, cancelButton);

  function say(text: string): void {
    notice.textContent = text;
    notice.hidden = !text;
  }

  function sendAll(files: File[]): void {
    if (!files.length || !canSend()) return;
    say('');
    for (const file of files) send({ file });
  }

  attachButton.addEventListener('click', () => fileInput.click());
  fileInput.addEventListener('change', () => {
    sendAll(Array.from(fileInput.files ?? []));
    fileInput.value = '';
  });

  let recorder: VoiceRecorder | undefined;
  let tick: ReturnType<typeof setInterval> | undefined;
  function showRecording(on: boolean): void {
    recordingBar.hidden = !on;
    voiceButton.setAttribute('aria-pressed', String(on));
    clearInterval(tick);
    if (on) {
      const update = () => {
        const s = recorder?.elapsedSeconds ?? 0;
        timer.textContent = t.recording(formatDuration(s));
        if (s >= MAX_VOICE_SECONDS) void finish();
      };
      update();
      tick = setInterval(update, 250);
      stopButton.focus();
    }
  }
  async function finish(): Promise<void> {
    const r = recorder;
    recorder = undefined;
    showRecording(false);
    if (!r) return;
    try {
      const clip = await r.stop();
      send({ file: clip.blob, name: clip.name, kind: 'voice', durationSeconds: clip.durationSeconds });
    } catch {
      say(t.voiceFailed);
    }
    voiceButton.focus();
  }
  voiceButton.addEventListener('click', async () => {
    if (recorder) return void finish();
    if (!voiceSupported()) return say(t.voiceUnsupported);
    say('');
    const r = new VoiceRecorder();
    try {
      await r.start();
    } catch (err) {
      const problem = err instanceof VoiceError ? err.problem : 'failed';
      return say(problem === 'denied' ? t.micDenied : problem === 'noDevice' ? t.noMic : problem === 'unsupported' ? t.voiceUnsupported : t.voiceFailed);
    }
    recorder = r;
    showRecording(true);
  });
  stopButton.addEventListener('click', () => void finish());
  cancelButton.addEventListener('click', () => {
    recorder?.cancel();
    recorder = undefined;
    showRecording(false);
    voiceButton.focus();
  });
  recordingBar.addEventListener('keydown', (ev) => { if (ev.key === 'Escape') cancelButton.click(); });

  return { attachButton, fileInput, voiceButton, recordingBar, notice };
}

/** Pasted images (screenshots) and dropped files anywhere on `area` are sent; text pastes are left alone. */
export function acceptDrops(area: HTMLElement, input: HTMLElement, t: Texts, send: (f: FileSend) => void, canSend: () => boolean): void {
  input.addEventListener('paste', (ev) => {
    const files = imageFiles((ev as ClipboardEvent).clipboardData);
    if (!files.length || !canSend()) return;
    ev.preventDefault();
    for (const file of files) send({ file });
  });
  const hasFiles = (ev: DragEvent) => !!ev.dataTransfer && Array.from(ev.dataTransfer.types).includes('Files');
  let depth = 0;
  area.dataset.dropLabel = t.dropHere;
  area.addEventListener('dragenter', (ev) => {
    if (!hasFiles(ev)) return;
    depth++;
    area.classList.add('dragging');
  });
  area.addEventListener('dragleave', () => {
    depth = Math.max(0, depth - 1);
    if (!depth) area.classList.remove('dragging');
  });
  area.addEventListener('dragover', (ev) => {
    if (!hasFiles(ev)) return;
    ev.preventDefault();
    ev.dataTransfer!.dropEffect = 'copy';
  });
  area.addEventListener('drop', (ev) => {
    depth = 0;
    area.classList.remove('dragging');
    const files = droppedFiles(ev.dataTransfer);
    if (!files.length) return;
    ev.preventDefault();
    if (canSend()) for (const file of files) send({ file });
  });
}
