// Voice messages recorded in the browser with MediaRecorder. `voiceSupport()` says up front whether
// the browser can record at all, so a UI can offer a clear fallback instead of a broken button.

export type VoiceProblem = 'unsupported' | 'denied' | 'noDevice' | 'failed';

export class VoiceError extends Error {
  constructor(readonly problem: VoiceProblem, message: string) {
    super(message);
    this.name = 'VoiceError';
  }
}

export interface VoiceClip { blob: Blob; name: string; contentType: string; durationSeconds: number }

interface RecorderLike {
  readonly mimeType: string;
  readonly state: string;
  ondataavailable: ((ev: { data: Blob }) => void) | null;
  onstop: (() => void) | null;
  onerror: ((ev: unknown) => void) | null;
  start(timeslice?: number): void;
  stop(): void;
}
interface RecorderCtor {
  new (stream: MediaStream, options?: { mimeType?: string }): RecorderLike;
  isTypeSupported?(type: string): boolean;
}

export interface VoiceEnvironment {
  MediaRecorder?: RecorderCtor;
  getUserMedia?: (constraints: MediaStreamConstraints) => Promise<MediaStream>;
  now?: () => number;
}

// Types the server recognises by their bytes (WebM, Ogg, MP4/M4A), in order of preference.
const TYPES = ['audio/webm;codecs=opus', 'audio/webm', 'audio/ogg;codecs=opus', 'audio/mp4'];
const EXT: Record<string, string> = { 'audio/webm': 'webm', 'audio/ogg': 'ogg', 'audio/mp4': 'm4a' };

function browserEnvironment(): VoiceEnvironment {
  const g = globalThis as { MediaRecorder?: RecorderCtor; navigator?: Navigator };
  const md = g.navigator?.mediaDevices;
  return {
    MediaRecorder: g.MediaRecorder,
    // mediaDevices is undefined outside secure contexts (plain http on a non-local host).
    getUserMedia: md?.getUserMedia ? (c) => md.getUserMedia(c) : undefined,
  };
}

export function voiceSupported(env: VoiceEnvironment = browserEnvironment()): boolean {
  return typeof env.MediaRecorder === 'function' && typeof env.getUserMedia === 'function';
}

/** One recording: `start()` asks for the microphone, `stop()` gives the clip, `cancel()` discards it. */
export class VoiceRecorder {
  private recorder?: RecorderLike;
  private stream?: MediaStream;
  private chunks: Blob[] = [];
  private startedAt = 0;
  private readonly env: VoiceEnvironment;
  private readonly now: () => number;

  constructor(env: VoiceEnvironment = browserEnvironment()) {
    this.env = env;
    this.now = env.now ?? (() => Date.now());
  }

  get recording(): boolean { return !!this.recorder; }
  get elapsedSeconds(): number { return this.recorder ? (this.now() - this.startedAt) / 1000 : 0; }

  async start(): Promise<void> {
    const { MediaRecorder: Recorder, getUserMedia } = this.env;
    if (!Recorder || !getUserMedia) throw new VoiceError('unsupported', 'MediaRecorder or getUserMedia is not available');
    if (this.recorder) return;
    let stream: MediaStream;
    try {
      stream = await getUserMedia({ audio: true });
    } catch (err) {
      const name = (err as { name?: string } | null)?.name;
      if (name === 'NotAllowedError' || name === 'SecurityError') throw new VoiceError('denied', 'microphone permission denied');
      if (name === 'NotFoundError' || name === 'OverconstrainedError') throw new VoiceError('noDevice', 'no microphone');
      throw new VoiceError('failed', String(err));
    }
    const mimeType = TYPES.find((t) => Recorder.isTypeSupported?.(t));
    let recorder: RecorderLike;
    try {
      recorder = new Recorder(stream, mimeType ? { mimeType } : undefined);
      this.chunks = [];
      recorder.ondataavailable = (ev) => { if (ev.data && ev.data.size > 0) this.chunks.push(ev.data); };
      recorder.start(1000);
    } catch (err) {
      stopTracks(stream);
      throw new VoiceError('failed', String(err));
    }
    this.stream = stream;
    this.recorder = recorder;
    this.startedAt = this.now();
  }

  stop(): Promise<VoiceClip> {
    const recorder = this.recorder;
    if (!recorder) return Promise.reject(new VoiceError('failed', 'not recording'));
    const durationSeconds = Math.max(1, Math.round(this.elapsedSeconds));
    return new Promise<VoiceClip>((resolve, reject) => {
      recorder.onstop = () => {
        this.release();
        const contentType = (recorder.mimeType || this.chunks[0]?.type || 'audio/webm').split(';')[0]!.trim();
        const blob = new Blob(this.chunks, { type: contentType });
        this.chunks = [];
        if (blob.size === 0) reject(new VoiceError('failed', 'empty recording'));
        else resolve({ blob, contentType, durationSeconds, name: `voice-${stamp(new Date(this.startedAt))}.${EXT[contentType] ?? 'webm'}` });
      };
      recorder.onerror = (ev) => {
        this.release();
        reject(new VoiceError('failed', String((ev as { error?: unknown })?.error ?? 'recorder error')));
      };
      recorder.stop();
    });
  }

  cancel(): void {
    const recorder = this.recorder;
    if (!recorder) return;
    recorder.onstop = null;
    recorder.ondataavailable = null;
    try { if (recorder.state !== 'inactive') recorder.stop(); } catch { /* already stopped */ }
    this.chunks = [];
    this.release();
  }

  private release(): void {
    if (this.stream) stopTracks(this.stream);
    this.stream = undefined;
    this.recorder = undefined;
  }
}

function stopTracks(stream: MediaStream): void {
  for (const track of stream.getTracks?.() ?? []) track.stop();
}

function stamp(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}
