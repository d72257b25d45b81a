// Helpers every UI needs to send and show attachments. Names and captions are data: render them as
// text only; URLs go through `attachmentUrl` before they reach src/href.
import type { Attachment } from './protocol.js';

export type AttachmentKind = 'image' | 'file' | 'voice';

/** Image types the server previews (thumbnail, dimensions); any other file is sent as `file`. */
const PREVIEWABLE = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

export function isAttachmentKind(kind: string): kind is AttachmentKind {
  return kind === 'image' || kind === 'file' || kind === 'voice';
}

export function attachmentKindFor(contentType: string): 'image' | 'file' {
  return PREVIEWABLE.has(contentType.toLowerCase().split(';')[0]!.trim()) ? 'image' : 'file';
}

/** A URL the server gave for an attachment, resolved against the page; null unless http(s) (no javascript:, data:). */
export function attachmentUrl(raw: string | null | undefined, base: string): string | null {
  if (!raw) return null;
  try {
    const url = new URL(raw, base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

/** 1023 B, 1.5 KB, 20 MB, 1.1 GB (binary units, as file managers show them). */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${value.toFixed(digits).replace(/\.0$/, '')} ${units[unit]}`;
}

/** 0:07, 1:05, 61:00. */
export function formatDuration(seconds: number | null | undefined): string {
  const s = Math.max(0, Math.round(Number(seconds) || 0));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** The image files of a paste or drop (screenshots paste as image/png); other items are ignored. */
export function imageFiles(data: { files?: ArrayLike<File> | null } | null | undefined): File[] {
  return droppedFiles(data).filter((f) => attachmentKindFor(f.type) === 'image');
}

export function droppedFiles(data: { files?: ArrayLike<File> | null } | null | undefined): File[] {
  return data?.files ? Array.from(data.files) : [];
}

/** What a message shows for its attachment, with unusable URLs removed. */
export function viewAttachment(a: Attachment | null | undefined, base: string):
  { name: string; size: string; url: string | null; thumbnailUrl: string | null; width?: number; height?: number; duration: string } | null {
  if (!a) return null;
  const url = attachmentUrl(a.url, base);
  return {
    name: typeof a.name === 'string' && a.name ? a.name : (a.id ?? ''),
    size: formatBytes(a.size),
    url,
    thumbnailUrl: attachmentUrl(a.thumbnailUrl, base) ?? url,
    ...(a.width && a.height ? { width: a.width, height: a.height } : {}),
    duration: a.durationSeconds ? formatDuration(a.durationSeconds) : '',
  };
}
