import { afterEach, describe, expect, it, vi } from 'vitest';

const fakeStream = (id: string) => ({ id }) as unknown as MediaStream;

const load = async (early: Promise<MediaStream> | undefined, later: () => Promise<MediaStream>) => {
  vi.resetModules();
  const getUserMedia = vi.fn(later);
  vi.stubGlobal('window', { __bvEarlyMedia: early });
  vi.stubGlobal('navigator', { mediaDevices: { getUserMedia } });
  const media = await import('./local-media');
  return { media, getUserMedia };
};

describe('the camera request index.html makes early', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('is the one the app takes: no second request', async () => {
    const { media, getUserMedia } = await load(Promise.resolve(fakeStream('early')), () =>
      Promise.resolve(fakeStream('late')),
    );
    media.prepareLocalMedia();
    const taken = await media.takeLocalMedia();
    expect(taken.stream?.id).toBe('early');
    expect(getUserMedia).not.toHaveBeenCalled();
    // taken once: the next request asks the browser again
    expect((await media.takeLocalMedia()).stream?.id).toBe('late');
  });

  it('once answered, is there for the first render without a wait, until taken', async () => {
    const { media } = await load(Promise.resolve(fakeStream('early')), () => Promise.resolve(fakeStream('late')));
    media.prepareLocalMedia();
    expect(media.preparedLocalMedia()).toBeNull(); // not answered yet
    await new Promise((resolve) => setTimeout(resolve, 0));
    const shown = media.preparedLocalMedia();
    expect(shown?.stream?.id).toBe('early');
    // the render's answer is the one the hook then takes and owns
    expect(await media.takeLocalMedia()).toBe(shown);
    expect(media.preparedLocalMedia()).toBeNull();
  });

  it('failing, gives way to the fallbacks', async () => {
    const refused = Promise.reject(new Error('NotReadableError'));
    refused.catch(() => undefined);
    const { media, getUserMedia } = await load(refused, () => Promise.resolve(fakeStream('fallback')));
    expect((await media.takeLocalMedia()).stream?.id).toBe('fallback');
    expect(getUserMedia).toHaveBeenCalledTimes(1);
  });
});
