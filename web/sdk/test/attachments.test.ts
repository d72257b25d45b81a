import { describe, expect, it } from 'vitest';
import { attachmentKindFor, attachmentUrl, formatBytes, formatDuration, imageFiles, viewAttachment, VoiceError, VoiceRecorder, voiceSupported } from '../src';

describe('attachment helpers', () => {
  it('sends PNG, JPEG, GIF and WebP as image, anything else (SVG, HTML, PDF) as file', () => {
    for (const t of ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'IMAGE/PNG']) expect(attachmentKindFor(t)).toBe('image');
    for (const t of ['image/svg+xml', 'text/html', 'application/pdf', '', 'audio/webm']) expect(attachmentKindFor(t)).toBe('file');
  });

  it('keeps only http(s) URLs, resolved against the page', () => {
    expect(attachmentUrl('/api/v1/uploads/u1?sig=a&exp=1', 'https://chat.example.com/chat')).toBe('https://chat.example.com/api/v1/uploads/u1?sig=a&exp=1');
    expect(attachmentUrl('javascript:alert(1)', 'https://h/')).toBeNull();
    expect(attachmentUrl('data:text/html,<script>', 'https://h/')).toBeNull();
    expect(attachmentUrl(undefined, 'https://h/')).toBeNull();
  });

  it('formats sizes and durations', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(20 * 1024 * 1024)).toBe('20 MB');
    expect(formatBytes(1024 ** 3 + 1024 ** 3 / 10)).toBe('1.1 GB');
    expect(formatDuration(7)).toBe('0:07');
    expect(formatDuration(65.4)).toBe('1:05');
  });

  it('takes only images from a paste', () => {
    const files = [new File(['x'], 'a.png', { type: 'image/png' }), new File(['x'], 'b.txt', { type: 'text/plain' })];
    expect(imageFiles({ files }).map((f) => f.name)).toEqual(['a.png']);
    expect(imageFiles(null)).toEqual([]);
  });

  it('views an attachment with safe URLs and the name as given (rendered as text by the UI)', () => {
    const v = viewAttachment({ id: 'u1', name: '<img src=x onerror=alert(1)>.png', size: 2048, contentType: 'image/png', url: 'javascript:x', thumbnailUrl: '/t.png', width: 10, height: 5 }, 'https://h/');
    expect(v).toMatchObject({ name: '<img src=x onerror=alert(1)>.png', size: '2 KB', url: null, thumbnailUrl: 'https://h/t.png', width: 10, height: 5 });
  });
});

class FakeRecorder {
  static isTypeSupported = (t: string) => t === 'audio/webm;codecs=opus';
  static last: FakeRecorder;
  state = 'inactive';
  ondataavailable: ((ev: { data: Blob }) => void) | null = null;
  onstop: (() => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  constructor(readonly stream: unknown, readonly options?: { mimeType?: string }) { FakeRecorder.last = this; }
  get mimeType() { return this.options?.mimeType ?? ''; }
  start() { this.state = 'recording'; }
  stop() {
    this.state = 'inactive';
    this.ondataavailable?.({ data: new Blob(['opus-bytes'], { type: 'audio/webm;codecs=opus' }) });
    this.onstop?.();
  }
}

function stream() {
  const track = { stopped: false, stop() { this.stopped = true; } };
  return { track, stream: { getTracks: () => [track] } as unknown as MediaStream };
}

describe('VoiceRecorder', () => {
  it('is unsupported without MediaRecorder or getUserMedia, and says so', async () => {
    expect(voiceSupported({})).toBe(false);
    expect(voiceSupported({ MediaRecorder: FakeRecorder as never, getUserMedia: async () => stream().stream })).toBe(true);
    await expect(new VoiceRecorder({}).start()).rejects.toMatchObject({ problem: 'unsupported' });
  });

  it('maps a refused permission to denied and a missing microphone to noDevice', async () => {
    const refuse = (name: string) => new VoiceRecorder({ MediaRecorder: FakeRecorder as never, getUserMedia: async () => { throw Object.assign(new Error('x'), { name }); } });
    await expect(refuse('NotAllowedError').start()).rejects.toMatchObject({ problem: 'denied' });
    await expect(refuse('NotFoundError').start()).rejects.toMatchObject({ problem: 'noDevice' });
    await expect(refuse('NotAllowedError').start()).rejects.toBeInstanceOf(VoiceError);
  });

  it('records a clip with its type, name and duration, and releases the microphone', async () => {
    let now = 1_000_000;
    const { stream: s, track } = stream();
    const rec = new VoiceRecorder({ MediaRecorder: FakeRecorder as never, getUserMedia: async () => s, now: () => now });
    await rec.start();
    expect(rec.recording).toBe(true);
    expect(FakeRecorder.last.options?.mimeType).toBe('audio/webm;codecs=opus');
    now += 4_400;
    const clip = await rec.stop();
    expect(clip.contentType).toBe('audio/webm');
    expect(clip.durationSeconds).toBe(4);
    expect(clip.name).toMatch(/^voice-\d{8}-\d{6}\.webm$/);
    expect(await clip.blob.text()).toBe('opus-bytes');
    expect(track.stopped).toBe(true);
    expect(rec.recording).toBe(false);
  });

  it('cancel discards the recording and releases the microphone', async () => {
    const { stream: s, track } = stream();
    const rec = new VoiceRecorder({ MediaRecorder: FakeRecorder as never, getUserMedia: async () => s });
    await rec.start();
    rec.cancel();
    expect(track.stopped).toBe(true);
    expect(rec.recording).toBe(false);
    await expect(rec.stop()).rejects.toBeInstanceOf(VoiceError);
  });
});
