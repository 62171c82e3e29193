// A real OpenID Connect provider (panva/oidc-provider) on loopback for tests/ops/test_sso.py.
// Its development login form accepts any user name; the accounts below say which groups
// each person is in, as Entra ID's "groups" claim would.
//   node provider.mjs <port> <client_id> <client_secret> <redirect_uri>
import Provider from "oidc-provider";

const [port, clientId, clientSecret, redirectUri] = process.argv.slice(2);
const GROUPS = {
  kari: ["sg-innspill-saksbehandlere"],
  mona: ["sg-innspill-moderatorer", "sg-annet"],
  ola: ["sg-annet"],
};

const provider = new Provider(`http://127.0.0.1:${port}`, {
  clients: [
    {
      client_id: clientId,
      client_secret: clientSecret,
      redirect_uris: [redirectUri],
      response_types: ["code"],
      grant_types: ["authorization_code"],
    },
  ],
  claims: {
    openid: ["sub"],
    email: ["email"],
    profile: ["preferred_username", "name"],
    groups: ["groups"],
  },
  scopes: ["openid", "email", "profile", "groups"],
  findAccount: async (ctx, id) => ({
    accountId: id,
    claims: async () => ({
      sub: id,
      email: `${id}@moss.kommune.no`,
      preferred_username: id,
      name: id,
      groups: GROUPS[id] || [],
    }),
  }),
  pkce: { required: () => true },
});
provider.listen(Number(port), "127.0.0.1", () => console.log(`oidc-provider listening on ${port}`));
