// A real OpenID provider for the development stack: the `oidc-provider` package (OpenID
// Certified), configured by devstack/oidc.py with a JSON file: issuer, port, signing keys,
// clients, accounts and resource servers (machine tokens). It stands where a party's broker
// (Keycloak in front of Context Handler) stands in production: `make run` logs in with it,
// and the tests.
//
// Beside the provider itself:
//   /interaction/<uid>        the login page (Danish; type an account id or pick one, "Log
//                             ind"); consent is given at once (a broker's first-party client)
//   POST /test/tamper         tests only (`testHooks`): the next token response's id_token is
//                             re-signed with changed claims, or its signature broken (fault
//                             injection for the tests of the BFF's ID token checks)
//   GET /healthz              200 when ready
//   GET /                     a page naming the provider's demo accounts and its discovery
//                             document (what `make run` prints answers)
//
// Usage: node devstack/oidc_provider.mjs <config.json>
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import Provider from 'oidc-provider';

const config = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const accounts = config.accounts;
const accountLabels = config.accountLabels || {};
let tamper = null; // {claims: {...}, breakSignature: bool}: applied to the next id_token

function b64url(buffer) {
  return Buffer.from(buffer).toString('base64url');
}

function resign(token, changes) {
  const [headerPart, payloadPart] = token.split('.');
  const header = JSON.parse(Buffer.from(headerPart, 'base64url'));
  const payload = { ...JSON.parse(Buffer.from(payloadPart, 'base64url')), ...changes.claims };
  for (const [name, value] of Object.entries(changes.claims)) {
    if (value === null) delete payload[name];
  }
  const jwk = config.jwks.keys.find((k) => k.kid === header.kid);
  const signingInput = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`;
  const key = crypto.createPrivateKey({ key: jwk, format: 'jwk' });
  const signature = header.alg.startsWith('ES')
    ? crypto.sign('sha256', Buffer.from(signingInput), { key, dsaEncoding: 'ieee-p1363' })
    : crypto.sign('sha256', Buffer.from(signingInput), key);
  let sig = b64url(signature);
  if (changes.breakSignature) {
    sig = (sig[0] === 'A' ? 'B' : 'A') + sig.slice(1);
  }
  return `${signingInput}.${sig}`;
}

const provider = new Provider(config.issuer, {
  clients: config.clients,
  jwks: config.jwks,
  cookies: { keys: [crypto.randomBytes(32).toString('hex')] },
  clientDefaults: { id_token_signed_response_alg: 'ES256' }, // the fixtures' keys are P-256
  // The provider refuses outgoing requests to special-use addresses (SSRF protection); the
  // BFF under test is on 127.0.0.1, so its back-channel logout goes out without that check.
  fetch(url, options) {
    const { dispatcher, ...rest } = options;
    return globalThis.fetch(url, rest);
  },
  conformIdTokenClaims: false, // scope claims (name, roles) in the ID token, as Keycloak does
  claims: {
    openid: ['sub'],
    profile: ['name', 'preferred_username'],
    roles: ['roles', 'groups'],
  },
  scopes: [
    'openid', 'profile', 'roles',
    ...new Set(Object.values(config.resources).flatMap((r) => r.scope.split(' '))),
  ],
  pkce: { required: () => true },
  async findAccount(ctx, id) {
    if (!Object.hasOwn(accounts, id)) return undefined;
    const account = accounts[id];
    return {
      accountId: id,
      async claims() {
        return { sub: id, ...account };
      },
    };
  },
  interactions: {
    url(ctx, interaction) {
      return `/interaction/${interaction.uid}`;
    },
  },
  features: {
    devInteractions: { enabled: false },
    backchannelLogout: { enabled: true },
    clientCredentials: { enabled: true },
    rpInitiatedLogout: {
      enabled: true,
      async logoutSource(ctx, form) {
        ctx.body = `<!doctype html><html lang="da"><head><meta charset="utf-8"><title>Log ud</title></head>
<body><main><h1>Log ud hos login-tjenesten?</h1>${form}
<button data-testid="idp-logout-confirm" autofocus type="submit" form="op.logoutForm" value="yes" name="logout">Ja, log ud</button>
</main></body></html>`;
      },
      async postLogoutSuccessSource(ctx) {
        ctx.body = '<!doctype html><html lang="da"><head><meta charset="utf-8"><title>Logget ud</title></head><body><main><h1 data-testid="idp-logged-out">Du er logget ud</h1></main></body></html>';
      },
    },
    resourceIndicators: {
      enabled: true,
      defaultResource(ctx, client, oneOf) {
        return oneOf ? oneOf[0] : undefined;
      },
      useGrantedResource() {
        return true;
      },
      async getResourceServerInfo(ctx, resourceIndicator) {
        const server = config.resources[resourceIndicator];
        if (!server) throw new Provider.errors.InvalidTarget();
        return {
          scope: server.scope,
          audience: server.audience || resourceIndicator,
          accessTokenTTL: server.ttl || 600,
          accessTokenFormat: 'jwt',
        };
      },
    },
  },
  ttl: {
    ClientCredentials: (ctx, token) => token.resourceServer?.accessTokenTTL || 600,
  },
});
provider.proxy = false;
provider.on('backchannel.success', (ctx, client) => console.log(`back-channel logout sent to ${client.clientId}`));
provider.on('backchannel.error', (ctx, error, client) => console.error(`back-channel logout to ${client.clientId} failed: ${error.message}`));
provider.on('server_error', (ctx, error) => console.error(`server error: ${error.stack}`));

// Fault injection on the token endpoint's answer (after the provider made it).
provider.use(async (ctx, next) => {
  await next();
  if (tamper && ctx.path === '/token' && ctx.body && typeof ctx.body.id_token === 'string') {
    ctx.body = { ...ctx.body, id_token: resign(ctx.body.id_token, tamper) };
    tamper = null;
  }
});

function page(res, status, html) {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(html);
}

async function readForm(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

async function interaction(req, res, uid, action) {
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) return page(res, 400, 'wrong interaction');
  const { prompt, params, session, grantId } = details;
  if (prompt.name === 'login') {
    if (req.method === 'POST' && action === 'login') {
      const form = await readForm(req);
      const login = (form.get('login') || '').trim().toLowerCase(); // "Hanne " is hanne
      if (!Object.hasOwn(accounts, login)) {
        return page(res, 200, loginPage(uid, `Ukendt bruger: "${login}". Brug et af brugernavnene nedenfor.`, await clientName(params.client_id)));
      }
      return provider.interactionFinished(req, res, { login: { accountId: login } }, { mergeWithLastSubmission: false });
    }
    return page(res, 200, loginPage(uid, '', await clientName(params.client_id)));
  }
  // consent: a broker's first-party client is granted what it asked for
  const grant = grantId
    ? await provider.Grant.find(grantId)
    : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
  const missing = prompt.details;
  if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
  if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
  if (missing.missingResourceScopes) {
    for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes)) {
      grant.addResourceScope(indicator, scopes.join(' '));
    }
  }
  const saved = await grant.save();
  return provider.interactionFinished(req, res, { consent: { grantId: saved } }, { mergeWithLastSubmission: true });
}

async function clientName(clientId) {
  const client = clientId ? await provider.Client.find(String(clientId)) : undefined;
  return client ? client.clientName || client.clientId : '';
}

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const PAGE_STYLE = `body{font-family:system-ui,sans-serif;margin:0;background:#f3f4f6;color:#111}
main{max-width:34rem;margin:3rem auto;padding:2rem;background:#fff;border-radius:8px}
.note{background:#fff7d6;border-left:4px solid #b58900;padding:.75rem 1rem}
label{display:block;font-weight:600;margin:1rem 0 .25rem}
input{font-size:1rem;padding:.5rem;width:100%;box-sizing:border-box}
button{font-size:1rem;padding:.5rem 1rem;margin-top:.75rem;cursor:pointer}
ul{list-style:none;padding:0}li{margin:.5rem 0}
li button{width:100%;text-align:left;margin:0}
[role=alert]{color:#a00;font-weight:600}`;

function loginPage(uid, error, appName) {
  const action = `/interaction/${escapeHtml(uid)}/login`;
  const choices = Object.entries(accounts).map(([id, account]) => {
    const label = accountLabels[id] ? ` – ${escapeHtml(accountLabels[id])}` : '';
    return `<li><form method="post" action="${action}"><input type="hidden" name="login" value="${escapeHtml(id)}">
<button type="submit"><strong>${escapeHtml(id)}</strong>: ${escapeHtml(account.name || id)}${label}</button></form></li>`;
  }).join('\n');
  return `<!doctype html><html lang="da"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Log ind – demo-login til Borgervideo</title><style>${PAGE_STYLE}</style></head>
<body><main><h1>Log ind</h1>
<p class="note">Dette er en <strong>demo-login</strong>. Den står i stedet for kommunens eller
regionens eget login (Context Handler med MitID Erhverv). Der er ingen adgangskode: skriv brugernavnet på en
demo-bruger, eller vælg en nedenfor.</p>
${appName ? `<p>Du logger ind på <strong>${escapeHtml(appName)}</strong>.</p>` : ''}
${error ? `<p role="alert" data-testid="idp-error">${escapeHtml(error)}</p>` : ''}
<form method="post" action="${action}">
<label for="login">Brugernavn</label><input id="login" name="login" data-testid="idp-login" autocomplete="off" autocapitalize="none" spellcheck="false" autofocus>
<button type="submit" data-testid="idp-submit">Log ind</button></form>
<h2>Demo-brugere</h2>
<ul>
${choices}
</ul></main></body></html>`;
}

function indexPage() {
  const rows = Object.entries(accounts).map(([id, account]) => {
    const label = accountLabels[id] ? ` – ${escapeHtml(accountLabels[id])}` : '';
    return `<li><strong>${escapeHtml(id)}</strong>: ${escapeHtml(account.name || id)}${label}</li>`;
  }).join('\n');
  return `<!doctype html><html lang="da"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Demo-login til Borgervideo</title><style>${PAGE_STYLE}</style></head>
<body><main><h1>Demo-login til Borgervideo</h1>
<p class="note">Denne OpenID-udbyder står i stedet for kommunens eller regionens eget login i
udviklingsmiljøet. Log ind fra Borgervideos medarbejderportal eller administrationssider;
skriv et af brugernavnene nedenfor, uden adgangskode.</p>
<h2>Demo-brugere</h2>
<ul data-testid="idp-accounts">
${rows}
</ul>
<p>Discovery: <a href="/.well-known/openid-configuration">/.well-known/openid-configuration</a></p>
</main></body></html>`;
}

const callback = provider.callback();
const server = http.createServer(async (req, res) => {
  const url = new URL(req.url, config.issuer);
  try {
    if (url.pathname === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end('{"status":"ok"}');
    }
    if (url.pathname === '/' && req.method === 'GET') return page(res, 200, indexPage());
    if (config.testHooks && url.pathname === '/test/tamper' && req.method === 'POST') {
      const chunks = [];
      for await (const chunk of req) chunks.push(chunk);
      tamper = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      res.writeHead(204);
      return res.end();
    }
    const match = url.pathname.match(/^\/interaction\/([^/]+)(?:\/(login))?$/);
    if (match) return await interaction(req, res, match[1], match[2]);
    return callback(req, res);
  } catch (error) {
    console.error(error);
    if (!res.headersSent) page(res, 500, `error: ${error.message}`);
    else res.end();
  }
});
server.listen(config.port, config.host || '127.0.0.1', () => {
  console.log(`oidc-provider listening on ${config.issuer}`);
});
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => process.exit(0));
}
