'use strict';
// Drives the official Huawei Cloud Node.js SDK against a running Partner Center
// server, to prove our IAM/BSS endpoints are wire-compatible with real clients.
//
// Env:
//   PC_API_URL           base URL of the server, e.g. http://127.0.0.1:5000
//   PC_DEMO_CREDENTIALS  path to the demo-credentials.json written by `--demo`
// HOME must point to a scratch folder: the SDK writes ~/.huaweicloud/application_id.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const crypto = require('node:crypto');

// Deep paths on purpose: the IAM package's main entry throws on load, and the
// core's main entry drags in every service type we do not need.
const { IamClient } = require('@huaweicloud/huaweicloud-sdk-iam/v3/public-api');
const { ClientBuilder } = require('@huaweicloud/huaweicloud-sdk-core/ClientBuilder');
const { GlobalCredentials } = require('@huaweicloud/huaweicloud-sdk-core/auth/GlobalCredentials');

const STRONG_PASSWORD = 'Str0ng!Passw0rd#';

let cachedConfig;
/** Reads the server URL and the demo account to act as (role csp, else the first non-operator). */
function config() {
  if (cachedConfig) return cachedConfig;
  const apiUrl = process.env.PC_API_URL;
  const credsPath = process.env.PC_DEMO_CREDENTIALS;
  assert.ok(apiUrl, 'PC_API_URL is not set');
  assert.ok(credsPath, 'PC_DEMO_CREDENTIALS is not set');
  const creds = JSON.parse(fs.readFileSync(credsPath, 'utf8'));
  const accounts = Array.isArray(creds.accounts) ? creds.accounts : [];
  const account =
    accounts.find((a) => a.role === 'csp') ?? accounts.find((a) => a.role !== 'operator');
  assert.ok(account, `no csp/non-operator account in ${credsPath}`);
  for (const field of ['domain_name', 'domain_id', 'password', 'access_key', 'secret_key']) {
    assert.ok(account[field], `account "${account.role}" lacks ${field}`);
  }
  cachedConfig = { apiUrl: apiUrl.replace(/\/+$/, ''), account };
  return cachedConfig;
}

function globalCredentials(ak, sk, domainId) {
  return new GlobalCredentials().withAk(ak).withSk(sk).withDomainId(domainId);
}

/** The account's own AK/SK. With withEndpoint() the SDK will not look the domain id up, so we pass it. */
function accountCredentials() {
  const { account } = config();
  return globalCredentials(account.access_key, account.secret_key, account.domain_id);
}

function iamClient(credentials) {
  return IamClient.newBuilder().withCredential(credentials).withEndpoint(config().apiUrl).build();
}

/** A bare signed client for endpoints the SDK has no typed method for (BSS-style calls). */
function genericClient(credentials) {
  return new ClientBuilder((hcClient) => hcClient, 'GlobalCredentials,BasicCredentials')
    .withCredential(credentials)
    .withEndpoint(config().apiUrl)
    .build();
}

function signedRequest(credentials, method, path, data) {
  const options = {
    method,
    url: path,
    contentType: 'application/json',
    queryParams: {},
    pathParams: {},
    headers: {},
  };
  if (data !== undefined) options.data = data;
  return genericClient(credentials).sendRequest(options);
}

/** SDK exceptions carry status/code/message as fields; surface them in assertion output. */
async function call(what, promise) {
  try {
    return await promise;
  } catch (err) {
    throw new Error(`${what} failed: ${describeError(err)}`, { cause: err });
  }
}

function describeError(err) {
  if (err && err.httpStatusCode !== undefined) {
    return `HTTP ${err.httpStatusCode} ${err.errorCode ?? ''} ${err.errorMsg ?? err.message ?? ''}`.trim();
  }
  return String(err && err.stack ? err.stack : err);
}

// Created once and shared: test (c) asserts on it, test (d) signs with it.
let newUserKeyPromise;
function newUserKey() {
  newUserKeyPromise ??= (async () => {
    const { account } = config();
    const iam = iamClient(accountCredentials());
    const name = `sdk-node-${crypto.randomBytes(4).toString('hex')}`;
    const created = await call(
      'createUser',
      iam.createUser({
        body: {
          user: { domain_id: account.domain_id, name, password: STRONG_PASSWORD, enabled: true },
        },
      }),
    );
    assert.ok(created.user, `createUser response has no "user": ${JSON.stringify(created)}`);
    assert.ok(created.user.id, 'created user has no id');
    assert.equal(created.user.name, name);

    const key = await call(
      'createPermanentAccessKey',
      iam.createPermanentAccessKey({
        body: { credential: { user_id: created.user.id, description: 'sdk-node test key' } },
      }),
    );
    assert.ok(key.credential, `createPermanentAccessKey response has no "credential": ${JSON.stringify(key)}`);
    return { user: created.user, credential: key.credential };
  })();
  return newUserKeyPromise;
}

test('password token: keystoneCreateUserTokenByPassword returns X-Subject-Token', async () => {
  const { account } = config();
  // The SDK signs every request, so the client still needs AK/SK; the token itself
  // comes from the password in the body.
  const response = await call(
    'keystoneCreateUserTokenByPassword',
    iamClient(accountCredentials()).keystoneCreateUserTokenByPassword({
      body: {
        auth: {
          identity: {
            methods: ['password'],
            password: {
              user: {
                domain: { name: account.domain_name },
                name: account.domain_name,
                password: account.password,
              },
            },
          },
          scope: { domain: { name: account.domain_name } },
        },
      },
    }),
  );
  assert.ok([200, 201].includes(response.httpStatusCode), `HTTP ${response.httpStatusCode}`);
  // This SDK version copies the header into the body under its wire name.
  const subjectToken = response['X-Subject-Token'] ?? response.xSubjectToken;
  assert.ok(subjectToken, `no X-Subject-Token header; body keys: ${Object.keys(response)}`);
  assert.ok(response.token, 'response has no "token" object');
  assert.equal(response.token.user?.name, account.domain_name);
});

test('AK/SK: keystoneListAuthDomains lists the account domain', async () => {
  const { account } = config();
  const response = await call(
    'keystoneListAuthDomains',
    iamClient(accountCredentials()).keystoneListAuthDomains({}),
  );
  assert.equal(response.httpStatusCode, 200);
  assert.ok(Array.isArray(response.domains), `no "domains" array: ${JSON.stringify(response)}`);
  const ids = response.domains.map((d) => d.id);
  assert.ok(ids.includes(account.domain_id), `domain ${account.domain_id} not in ${ids}`);
});

test('IAM: createUser then createPermanentAccessKey returns access and secret', async () => {
  const { user, credential } = await newUserKey();
  assert.ok(credential.access, 'credential has no access key');
  assert.ok(credential.secret, 'credential has no secret key');
  if (credential.user_id !== undefined) assert.equal(credential.user_id, user.id);
});

test('new key signs a generic request: GET /v1/account returns the domain', async () => {
  const { account } = config();
  const { credential } = await newUserKey();
  const creds = globalCredentials(credential.access, credential.secret, account.domain_id);
  const response = await call('GET /v1/account', signedRequest(creds, 'GET', '/v1/account'));
  assert.equal(response.httpStatusCode, 200);
  assert.equal(response.domain_id, account.domain_id);
});

test('a request signed with a wrong secret key is rejected with 401', async () => {
  const { account } = config();
  const wrongSecret = crypto.randomBytes(20).toString('hex');
  const creds = globalCredentials(account.access_key, wrongSecret, account.domain_id);
  await assert.rejects(signedRequest(creds, 'GET', '/v1/account'), (err) => {
    assert.equal(err.httpStatusCode, 401, `expected HTTP 401, got ${describeError(err)}`);
    return true;
  });
});

test('BSS: the partner lists its sub-customers and reads a budget with its own AK/SK', async () => {
  const { account } = config();
  const listed = await call(
    'ListSubCustomers',
    signedRequest(accountCredentials(), 'POST', '/v2/partners/sub-customers/query', { offset: 0, limit: 10 }),
  );
  assert.equal(listed.httpStatusCode, 200);
  assert.ok(Array.isArray(listed.customer_infos), `no customer_infos: ${JSON.stringify(listed)}`);
  assert.ok(listed.count >= 1, `the demo CSP has customers; got count ${listed.count}`);
  const resale = listed.customer_infos.find((c) => c.association_type === '3');
  assert.ok(resale, 'the demo CSP has a resale customer');

  const options = {
    method: 'GET',
    url: '/v2/partners/sub-customers/budget',
    contentType: 'application/json',
    queryParams: { customer_id: resale.customer_id },
    pathParams: {},
    headers: {},
  };
  const budget = await call('ShowSubCustomerBudget', genericClient(accountCredentials()).sendRequest(options));
  assert.equal(budget.httpStatusCode, 200);
  assert.ok(budget.budget_amount > 0, `the demo budget is set: ${JSON.stringify(budget)}`);
  assert.equal(budget.currency, 'USD');
  assert.ok(account.partner_id, 'the demo CSP has a partner_id');
});
