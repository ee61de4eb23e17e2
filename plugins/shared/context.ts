/**
 * What the Borgervideo BFF tells a plugin in its `src` fragment
 * (`#bv-party=<party>&bv-api=<BFF origin>&bv-plugin-token=<token>`), and the party's
 * settings for the plugin (`/{party}/plugins/{id}/config.json`). The token is present only
 * for a session with a grant and only for plugins that use the plugin API.
 */
export interface PluginContext {
  party: string | null;
  api: string;
  token: string | null;
}

export const readContext = (hash: string, fallbackOrigin: string): PluginContext => {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  return {
    party: params.get('bv-party'),
    api: params.get('bv-api') ?? fallbackOrigin,
    token: params.get('bv-plugin-token'),
  };
};

/** The party's settings over `defaults`; the defaults alone when they cannot be read. */
export const loadSettings = async <T extends object>(
  context: PluginContext,
  pluginId: string,
  defaults: T,
): Promise<T> => {
  if (context.party === null) return defaults;
  const url = `${context.api}/${encodeURIComponent(context.party)}/plugins/${encodeURIComponent(pluginId)}/config.json`;
  try {
    const answer = await fetch(url, { credentials: 'omit', cache: 'no-cache' });
    if (!answer.ok) return defaults;
    const settings: unknown = await answer.json();
    return typeof settings === 'object' && settings !== null ? { ...defaults, ...settings } : defaults;
  } catch {
    return defaults;
  }
};
