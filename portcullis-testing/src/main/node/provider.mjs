// A real OpenID Provider (panva/oidc-provider) for Portcullis tests. It listens on 127.0.0.1 only and
// prints "oidc-provider ready at <issuer>" once it serves requests.
//
// Environment:
//   PORT           TCP port, 0 (default) for any free one
//   OIDC_CLIENT    JSON: {"client_id", "client_secret" (omit for a public client), "redirect_uris": [],
//                  "post_logout_redirect_uris": [], "id_token_signed_response_alg" (default RS256)}
//   OIDC_ACCOUNTS  JSON array: [{"username", "password", "email", "name", "groups": []}]
import { createServer } from 'node:http';
import { generateKeyPairSync, randomBytes, timingSafeEqual, createHash } from 'node:crypto';
import Provider from 'oidc-provider';

const HOST = '127.0.0.1';
const port = Number.parseInt(process.env.PORT ?? '0', 10);
const clientConfig = JSON.parse(required('OIDC_CLIENT'));
const accounts = new Map(JSON.parse(required('OIDC_ACCOUNTS')).map((a) => [a.username, a]));

function required(name) {
  const value = process.env[name];
  if (!value) {
    console.error(`${name} is not set`);
    process.exit(2);
  }
  return value;
}

function signingKeys() {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' });
  return [
    { ...rsa, kid: `rsa-${randomBytes(4).toString('hex')}`, use: 'sig', alg: 'RS256' },
    { ...ec, kid: `ec-${randomBytes(4).toString('hex')}`, use: 'sig', alg: 'ES256' },
  ];
}

function client() {
  const c = {
    client_id: clientConfig.client_id,
    redirect_uris: clientConfig.redirect_uris,
    post_logout_redirect_uris: clientConfig.post_logout_redirect_uris ?? [],
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    id_token_signed_response_alg: clientConfig.id_token_signed_response_alg ?? 'RS256',
  };
  if (clientConfig.client_secret) {
    c.client_secret = clientConfig.client_secret;
    c.token_endpoint_auth_method = 'client_secret_basic';
  } else {
    c.token_endpoint_auth_method = 'none';
  }
  return c;
}

const html = (s) => String(s).replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

function page(title, body) {
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${html(title)}</title></head>`
    + `<body><h1>${html(title)}</h1>${body}</body></html>`;
}

function loginForm(uid, error) {
  return page('Sign-in', `${error ? `<p class="error">${html(error)}</p>` : ''}
<form method="post" action="/interaction/${html(uid)}/login">
  <input type="text" name="username" autofocus>
  <input type="password" name="password">
  <button type="submit">Sign in</button>
</form>`);
}

function consentForm(uid, details) {
  const scopes = details.missingOIDCScope ?? [];
  return page('Authorize', `<p>Grant access to: ${scopes.map(html).join(', ')}</p>
<form method="post" action="/interaction/${html(uid)}/confirm">
  <button type="submit" name="consent" value="yes">Allow</button>
</form>
<a href="/interaction/${html(uid)}/abort">Deny</a>`);
}

// Compare digests so the comparison neither leaks timing nor needs equal lengths.
function passwordMatches(account, password) {
  const digest = (s) => createHash('sha256').update(String(s)).digest();
  return account !== undefined && timingSafeEqual(digest(account.password), digest(password));
}

async function readForm(req) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > 65536) throw new Error('form too large');
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function send(res, status, body) {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(body);
}

async function interaction(provider, req, res, uid, action) {
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) {
    send(res, 400, page('Error', '<p>interaction mismatch</p>'));
    return;
  }
  const prompt = details.prompt.name;
  if (req.method === 'GET' && action === undefined) {
    send(res, 200, prompt === 'login' ? loginForm(uid) : consentForm(uid, details.prompt.details));
  } else if (req.method === 'POST' && action === 'login' && prompt === 'login') {
    const form = await readForm(req);
    const account = accounts.get(form.get('username') ?? '');
    if (!passwordMatches(account, form.get('password') ?? '')) {
      send(res, 401, loginForm(uid, 'Invalid username or password.'));
      return;
    }
    await provider.interactionFinished(req, res, { login: { accountId: account.username } },
      { mergeWithLastSubmission: false });
  } else if (req.method === 'POST' && action === 'confirm' && prompt === 'consent') {
    await readForm(req);
    const { missingOIDCScope, missingOIDCClaims, missingResourceScopes } = details.prompt.details;
    const grant = details.grantId
      ? await provider.Grant.find(details.grantId)
      : new provider.Grant({ accountId: details.session.accountId, clientId: details.params.client_id });
    if (missingOIDCScope) grant.addOIDCScope(missingOIDCScope.join(' '));
    if (missingOIDCClaims) grant.addOIDCClaims(missingOIDCClaims);
    for (const [indicator, scopes] of Object.entries(missingResourceScopes ?? {})) {
      grant.addResourceScope(indicator, scopes.join(' '));
    }
    await provider.interactionFinished(req, res, { consent: { grantId: await grant.save() } },
      { mergeWithLastSubmission: true });
  } else if (req.method === 'GET' && action === 'abort') {
    await provider.interactionFinished(req, res,
      { error: 'access_denied', error_description: 'End-User aborted interaction' },
      { mergeWithLastSubmission: false });
  } else {
    send(res, 400, page('Error', '<p>unexpected interaction step</p>'));
  }
}

const server = createServer();
server.listen(port, HOST, () => {
  const issuer = `http://${HOST}:${server.address().port}`;
  const provider = new Provider(issuer, {
    clients: [client()],
    jwks: { keys: signingKeys() },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    pkce: { required: () => true },
    scopes: ['openid', 'offline_access', 'email', 'profile', 'groups'],
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name', 'preferred_username'],
      groups: ['groups'],
    },
    async findAccount(ctx, id) {
      const account = accounts.get(id);
      if (!account) return undefined;
      return {
        accountId: id,
        async claims() {
          return {
            sub: id,
            email: account.email,
            email_verified: true,
            name: account.name,
            preferred_username: account.username,
            groups: account.groups ?? [],
          };
        },
      };
    },
    interactions: { url: (ctx, i) => `/interaction/${i.uid}` },
    // Every code grant gets a refresh token; offline_access would also force prompt=consent.
    issueRefreshToken: async (ctx, c) => c.grantTypeAllowed('refresh_token'),
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        async logoutSource(ctx, form) {
          ctx.body = page('Sign out',
            form.replace('</form>', '<button type="submit" name="logout" value="yes">Sign out</button></form>'));
        },
        async postLogoutSuccessSource(ctx) {
          ctx.body = page('Signed out', '<p>You are signed out.</p>');
        },
      },
    },
    ttl: {
      AccessToken: 600,
      AuthorizationCode: 60,
      IdToken: 600,
      RefreshToken: 86400,
      Interaction: 600,
      Session: 3600,
      Grant: 3600,
    },
  });
  const handle = provider.callback();
  server.on('request', (req, res) => {
    const match = /^\/interaction\/([A-Za-z0-9_-]+)(?:\/(login|confirm|abort))?$/.exec(req.url.split('?')[0]);
    if (!match) {
      handle(req, res);
      return;
    }
    interaction(provider, req, res, match[1], match[2]).catch((err) => {
      console.error(`interaction failed: ${err.message}`);
      if (!res.headersSent) send(res, 400, page('Error', `<p>${html(err.message)}</p>`));
      else res.end();
    });
  });
  console.log(`oidc-provider ready at ${issuer}`);
});

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => process.exit(0));
}
