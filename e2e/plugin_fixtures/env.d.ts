/** The plugin id a build gives the legacy and webapp3 plugins (build.mjs `define`). */
declare const __PLUGIN_ID__: string;
