/** The plugin id a build gives the legacy plugin (build.mjs `define`). */
declare const __PLUGIN_ID__: string;
