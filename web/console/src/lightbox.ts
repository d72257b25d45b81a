import { reactive } from 'vue';

/** The image shown full size in the lightbox dialog, if any. */
export const lightbox = reactive({ url: '', name: '' });

export function openLightbox(url: string, name: string): void {
  lightbox.url = url;
  lightbox.name = name;
}

export function closeLightbox(): void {
  lightbox.url = '';
}
