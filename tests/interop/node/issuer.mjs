// Test-only glue: an OpenID4VCI 1.0 credential issuer built from @openid4vc/openid4vci and
// @openid4vc/oauth2 (software nobody in plecak wrote), served on 127.0.0.1 for plecak's interop
// test (tests/interop/test_oid4vci_node.py).
//
// The libraries do the protocol (metadata, offers, token request parsing and verification,
// access tokens as signed JWTs checked against our JWKS, credential request parsing, proof JWT
// verification, responses); this glue supplies what they leave to the integrator: the JOSE
// callbacks (node:crypto), single-use pre-authorized codes and nonces, the credential itself
// (an Open Badges 3.0 VC-JWT signed by a did:key), and the HTTP server.
//
// Prints one JSON line {"base": "http://127.0.0.1:PORT"} when listening.  POST /_test/offer
// (JSON {"tx_code": bool, "by_reference": bool, "es256": bool}) makes a fresh offer and answers
// {"offer": "openid-credential-offer://...", "tx_code": "..."}; {"es256": true} offers the
// configuration whose proofs must be ES256 (the wallet then uses its P-256 did:jwk key);
// {"authorization_code": true} offers the authorization code flow with an issuer_state: GET
// /authorize (the learner's sign-in, auto-approved here) checks the request and answers a 302 to
// the wallet's loopback redirect with code, state and iss (RFC 9207); the token endpoint has the
// library verify the code and the PKCE verifier.  Stops on SIGTERM or stdin EOF.

import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, randomUUID, sign, verify } from 'node:crypto'
import http from 'node:http'

import { Oauth2AuthorizationServer, Oauth2ResourceServer, Oauth2ServerErrorResponseError, SupportedAuthenticationScheme, authorizationCodeGrantIdentifier, preAuthorizedCodeGrantIdentifier, setGlobalConfig } from '@openid4vc/oauth2'
import { Openid4vciIssuer, Openid4vciVersion } from '@openid4vc/openid4vci'

setGlobalConfig({ allowInsecureUrls: true }) // http is only ever on 127.0.0.1 here

const B58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz'
const b64url = (bytes) => Buffer.from(bytes).toString('base64url')

function b58encode(bytes) {
  let n = BigInt('0x' + (Buffer.from(bytes).toString('hex') || '0'))
  let out = ''
  while (n > 0n) { out = B58[Number(n % 58n)] + out; n /= 58n }
  for (const b of bytes) { if (b === 0) out = '1' + out; else break }
  return out
}

function b58decode(text) {
  let n = 0n
  for (const ch of text) {
    const v = B58.indexOf(ch)
    if (v < 0) throw new Error('not base58')
    n = n * 58n + BigInt(v)
  }
  let hex = n.toString(16)
  if (hex.length % 2) hex = '0' + hex
  const pad = text.length - text.replace(/^1+/, '').length
  return Buffer.concat([Buffer.alloc(pad), Buffer.from(hex, 'hex')])
}

// did:key (Ed25519, multicodec 0xed01) or did:jwk -> JWK
function didKeyToJwk(didUrl) {
  const did = didUrl.split('#')[0]
  if (did.startsWith('did:jwk:')) return JSON.parse(Buffer.from(did.slice('did:jwk:'.length), 'base64url').toString('utf8'))
  if (!did.startsWith('did:key:z')) throw new Error('not a did:key')
  const raw = b58decode(did.slice('did:key:z'.length))
  if (raw[0] !== 0xed || raw[1] !== 0x01 || raw.length !== 34) throw new Error('not Ed25519')
  return { kty: 'OKP', crv: 'Ed25519', x: b64url(raw.subarray(2)) }
}

function jwkToDidKey(jwk) {
  return 'did:key:z' + b58encode(Buffer.concat([Buffer.from([0xed, 0x01]), Buffer.from(jwk.x, 'base64url')]))
}

// The issuer's credential key (a did:key) and the authorization server's access token key.
const credentialKey = generateKeyPairSync('ed25519')
const credentialJwk = credentialKey.publicKey.export({ format: 'jwk' })
const issuerDid = jwkToDidKey(credentialJwk)
const tokenKey = generateKeyPairSync('ed25519')
const tokenJwk = { ...tokenKey.publicKey.export({ format: 'jwk' }), kid: 'access-token-key', alg: 'EdDSA', use: 'sig' }

function signWith(privateKey, alg, input) {
  if (alg === 'EdDSA') return sign(null, Buffer.from(input), privateKey)
  throw new Error(`unsupported alg ${alg}`)
}

function verifyWith(jwk, alg, input, signature) {
  const key = createPublicKey({ key: jwk, format: 'jwk' })
  if (alg === 'EdDSA' && jwk.kty === 'OKP') return verify(null, Buffer.from(input), key, signature)
  if (alg === 'ES256' && jwk.kty === 'EC') return verify('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' }, signature)
  return false
}

const callbacks = {
  fetch,
  hash: (data, alg) => new Uint8Array(createHash(alg.replace('-', '').toLowerCase()).update(data).digest()),
  generateRandom: (length) => new Uint8Array(randomBytes(length)),
  clientAuthentication: () => {},
  signJwt: async (signer, { header, payload }) => {
    if (signer.method !== 'jwk' || signer.publicJwk.x !== tokenJwk.x) throw new Error('unknown signer')
    const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`
    return { jwt: `${input}.${b64url(signWith(tokenKey.privateKey, signer.alg, input))}`, signerJwk: tokenJwk }
  },
  verifyJwt: async (signer, { header, compact }) => {
    let jwk
    if (signer.method === 'did') jwk = didKeyToJwk(signer.didUrl)
    else if (signer.method === 'jwk') jwk = signer.publicJwk
    else return { verified: false }
    const [h, p, s] = compact.split('.')
    try {
      const ok = verifyWith(jwk, header.alg, `${h}.${p}`, Buffer.from(s, 'base64url'))
      return ok ? { verified: true, signerJwk: jwk } : { verified: false, signerJwk: jwk }
    } catch {
      return { verified: false, signerJwk: jwk }
    }
  },
}

const issuer = new Openid4vciIssuer({ callbacks })
const authorizationServer = new Oauth2AuthorizationServer({ callbacks })
const resourceServer = new Oauth2ResourceServer({ callbacks })

const state = { codes: new Map(), nonces: new Set(), offersByRef: new Map(), issued: [], sessions: new Map(), authCodes: new Map(), identifiers: new Set() }
let base = ''
let issuerMetadata

function metadataFor(url) {
  const authorizationServerMetadata = authorizationServer.createAuthorizationServerMetadata({
    issuer: url,
    token_endpoint: `${url}/token`,
    authorization_endpoint: `${url}/authorize`,
    code_challenge_methods_supported: ['S256'],
    authorization_response_iss_parameter_supported: true,
    jwks_uri: `${url}/jwks.json`,
    'pre-authorized_grant_anonymous_access_supported': true,
  })
  const credentialIssuer = issuer.createCredentialIssuerMetadata({
    credential_issuer: url,
    credential_endpoint: `${url}/credential`,
    nonce_endpoint: `${url}/nonce`,
    authorization_servers: [url],
    display: [{ name: 'Interop Test University (oid4vc-ts)', locale: 'en' }],
    credential_configurations_supported: {
      OpenBadgeCredential: {
        format: 'jwt_vc_json',
        cryptographic_binding_methods_supported: ['did:key'],
        credential_signing_alg_values_supported: ['EdDSA'],
        proof_types_supported: { jwt: { proof_signing_alg_values_supported: ['EdDSA'] } },
        credential_definition: { type: ['VerifiableCredential', 'OpenBadgeCredential'] },
      },
      OpenBadgeCredentialEs256: {
        format: 'jwt_vc_json',
        cryptographic_binding_methods_supported: ['did:jwk'],
        credential_signing_alg_values_supported: ['EdDSA'],
        proof_types_supported: { jwt: { proof_signing_alg_values_supported: ['ES256'] } },
        credential_definition: { type: ['VerifiableCredential', 'OpenBadgeCredential'] },
      },
    },
  })
  return {
    credentialIssuer,
    authorizationServers: [authorizationServerMetadata],
    knownCredentialConfigurations: issuer.getKnownCredentialConfigurationsSupported(credentialIssuer),
    originalDraftVersion: Openid4vciVersion.V1,
  }
}

function openBadge(holderDid, now) {
  const id = `urn:uuid:${randomUUID()}`
  const credential = {
    '@context': ['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'],
    id,
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    name: 'Interoperability Badge',
    issuer: { id: issuerDid, type: ['Profile'], name: 'Interop Test University' },
    validFrom: new Date(now * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    credentialSubject: {
      id: holderDid,
      type: ['AchievementSubject'],
      achievement: {
        id: `${base}/achievements/interop`,
        type: ['Achievement'],
        name: 'Interoperability Badge',
        description: 'Received over OpenID4VCI 1.0 from an issuer built on oid4vc-ts.',
        criteria: { narrative: 'Receive this credential with a wallet.' },
      },
    },
  }
  const header = { alg: 'EdDSA', typ: 'JWT', kid: `${issuerDid}#${issuerDid.slice('did:key:'.length)}` }
  const claims = { ...credential, iss: issuerDid, jti: id, nbf: now, sub: holderDid }
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`
  return `${input}.${b64url(sign(null, Buffer.from(input), credentialKey.privateKey))}`
}

function send(res, status, body, headers = {}) {
  const payload = body === undefined ? '' : JSON.stringify(body)
  res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...headers })
  res.end(payload)
}

function oauthError(res, error) {
  process.stderr.write(`issuer: ${error?.stack ?? error}\n${JSON.stringify(error?.errorResponse ?? {})}\n`)
  if (error instanceof Oauth2ServerErrorResponseError) return send(res, error.status ?? 400, error.errorResponse)
  return send(res, 400, { error: 'invalid_request', error_description: String(error?.message ?? error).slice(0, 200) })
}

const requestLike = (req) => ({ method: req.method, url: `${base}${req.url}`, headers: new Headers(Object.entries(req.headers).map(([k, v]) => [k, String(v)])) })

async function readBody(req) {
  const chunks = []
  let size = 0
  for await (const chunk of req) {
    size += chunk.length
    if (size > 256 * 1024) throw new Error('body too large')
    chunks.push(chunk)
  }
  return Buffer.concat(chunks).toString('utf8')
}

async function handle(req, res) {
  const path = req.url.split('?')[0]
  const body = req.method === 'POST' ? await readBody(req) : ''
  if (req.method === 'GET' && path === '/.well-known/openid-credential-issuer') return send(res, 200, issuerMetadata.credentialIssuer)
  if (req.method === 'GET' && path === '/.well-known/oauth-authorization-server') return send(res, 200, issuerMetadata.authorizationServers[0])
  if (req.method === 'GET' && path === '/jwks.json') return send(res, 200, { keys: [tokenJwk] }, { 'Content-Type': 'application/jwk-set+json' })
  if (req.method === 'GET' && path.startsWith('/offers/')) {
    const offer = state.offersByRef.get(path.slice('/offers/'.length))
    return offer ? send(res, 200, offer) : send(res, 404, { error: 'not_found' })
  }
  if (req.method === 'POST' && path === '/_test/offer') {
    const options = body ? JSON.parse(body) : {}
    const code = b64url(randomBytes(18))
    const txCode = options.tx_code ? String(100000 + (randomBytes(3).readUIntBE(0, 3) % 900000)) : undefined
    state.codes.set(code, { txCode })
    const ref = b64url(randomBytes(8))
    const configurationId = options.es256 ? 'OpenBadgeCredentialEs256' : 'OpenBadgeCredential'
    const issuerState = b64url(randomBytes(12))
    if (options.authorization_code) state.sessions.set(issuerState, configurationId)
    const grants = options.authorization_code
      ? { [authorizationCodeGrantIdentifier]: { issuer_state: issuerState } }
      : {
          [preAuthorizedCodeGrantIdentifier]: {
            'pre-authorized_code': code,
            ...(txCode ? { tx_code: { input_mode: 'numeric', length: txCode.length, description: 'Sent to you by e-mail' } } : {}),
          },
        }
    const { credentialOffer, credentialOfferObject } = await issuer.createCredentialOffer({
      issuerMetadata,
      credentialConfigurationIds: [configurationId],
      grants,
      ...(options.by_reference ? { credentialOfferUri: `${base}/offers/${ref}` } : {}),
    })
    if (options.by_reference) state.offersByRef.set(ref, credentialOfferObject)
    return send(res, 200, { offer: credentialOffer, tx_code: txCode })
  }
  if (req.method === 'POST' && path === '/_test/issued') return send(res, 200, { issued: state.issued })
  if (req.method === 'GET' && path === '/authorize') return authorize(req, res)
  if (req.method === 'POST' && path === '/token') {
    try {
      const form = Object.fromEntries(new URLSearchParams(body))
      const parsed = authorizationServer.parseAccessTokenRequest({ accessTokenRequest: form, request: requestLike(req) })
      if (parsed.grant.grantType === authorizationCodeGrantIdentifier) return await authorizationCodeToken(req, res, form, parsed)
      if (parsed.grant.grantType !== preAuthorizedCodeGrantIdentifier) return send(res, 400, { error: 'unsupported_grant_type' })
      const known = state.codes.get(parsed.grant.preAuthorizedCode)
      if (!known) return send(res, 400, { error: 'invalid_grant', error_description: 'unknown or used pre-authorized code' })
      state.codes.delete(parsed.grant.preAuthorizedCode) // single use, whatever happens next
      await authorizationServer.verifyPreAuthorizedCodeAccessTokenRequest({
        ...tokenRequestChecks(req, parsed),
        expectedPreAuthorizedCode: parsed.grant.preAuthorizedCode,
        expectedTxCode: known.txCode,
      })
      const response = await authorizationServer.createAccessTokenResponse({
        audience: base,
        authorizationServer: base,
        signer: { method: 'jwk', alg: 'EdDSA', publicJwk: tokenJwk },
        subject: parsed.grant.preAuthorizedCode,
        expiresInSeconds: 300,
      })
      return send(res, 200, response)
    } catch (error) {
      return oauthError(res, error)
    }
  }
  if (req.method === 'POST' && path === '/nonce') {
    const cNonce = b64url(randomBytes(18))
    state.nonces.add(cNonce)
    return send(res, 200, issuer.createNonceResponse({ cNonce, cNonceExpiresIn: 300 }))
  }
  if (req.method === 'POST' && path === '/credential') {
    try {
      await resourceServer.verifyResourceRequest({
        authorizationServers: issuerMetadata.authorizationServers,
        request: requestLike(req),
        resourceServer: base,
        allowedAuthenticationSchemes: [SupportedAuthenticationScheme.Bearer],
      })
      const parsed = issuer.parseCredentialRequest({ issuerMetadata, credentialRequest: JSON.parse(body) })
      if (parsed.credentialIdentifier !== undefined && !state.identifiers.delete(parsed.credentialIdentifier)) {
        return send(res, 400, { error: 'invalid_credential_request', error_description: 'unknown credential_identifier' })
      }
      const jwt = parsed.proofs?.jwt?.[0]
      if (!jwt) return send(res, 400, { error: 'invalid_proof', error_description: 'a jwt proof is required' })
      const nonce = JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8')).nonce
      if (!state.nonces.has(nonce)) return send(res, 400, { error: 'invalid_nonce' })
      state.nonces.delete(nonce) // single use
      const verified = await issuer.verifyCredentialRequestJwtProof({ issuerMetadata, jwt, expectedNonce: nonce })
      const holderDid = verified.signer.method === 'did' ? verified.signer.didUrl.split('#')[0] : undefined
      if (!holderDid) return send(res, 400, { error: 'invalid_proof', error_description: 'a did:key proof is required' })
      const credential = openBadge(holderDid, Math.floor(Date.now() / 1000) - 60)
      state.issued.push(credential)
      return send(res, 200, issuer.createCredentialResponse({ credentialRequest: parsed, credentials: [{ credential }] }))
    } catch (error) {
      return oauthError(res, error)
    }
  }
  return send(res, 404, { error: 'not_found' })
}

// The learner's sign-in at the authorization server, auto-approved: the request must name the
// offer's issuer_state, a loopback redirect to /callback, an S256 challenge and the offered
// configuration in authorization_details.
function authorize(req, res) {
  const query = Object.fromEntries(new URL(req.url, base).searchParams)
  const configurationId = state.sessions.get(query.issuer_state)
  state.sessions.delete(query.issuer_state) // single use
  let details = []
  try { details = JSON.parse(query.authorization_details ?? '[]') } catch { details = [] }
  const redirect = URL.canParse(query.redirect_uri ?? '') ? new URL(query.redirect_uri) : undefined
  if (
    query.response_type !== 'code' || !query.client_id || !configurationId ||
    !redirect || redirect.protocol !== 'http:' || redirect.hostname !== '127.0.0.1' || redirect.pathname !== '/callback' ||
    query.code_challenge_method !== 'S256' || !query.code_challenge ||
    details.length !== 1 || details[0].type !== 'openid_credential' || details[0].credential_configuration_id !== configurationId
  ) {
    return send(res, 400, { error: 'invalid_request' })
  }
  const code = b64url(randomBytes(18))
  state.authCodes.set(code, { clientId: query.client_id, redirectUri: query.redirect_uri, codeChallenge: query.code_challenge, configurationId })
  redirect.search = new URLSearchParams({ code, state: query.state ?? '', iss: base }).toString()
  res.writeHead(302, { Location: redirect.toString(), 'Cache-Control': 'no-store' })
  res.end()
}

// What every token request verification needs (no DPoP, no client attestation here).
function tokenRequestChecks(req, parsed) {
  return {
    authorizationServerMetadata: issuerMetadata.authorizationServers[0],
    grant: parsed.grant,
    accessTokenRequest: parsed.accessTokenRequest,
    request: requestLike(req),
    dpop: { required: false, ...parsed.dpop },
    clientAttestation: { required: false, ...parsed.clientAttestation },
  }
}

async function authorizationCodeToken(req, res, form, parsed) {
  const session = state.authCodes.get(parsed.grant.code)
  state.authCodes.delete(parsed.grant.code) // single use, whatever happens next
  if (!session || form.redirect_uri !== session.redirectUri || form.client_id !== session.clientId) {
    return send(res, 400, { error: 'invalid_grant' })
  }
  await authorizationServer.verifyAuthorizationCodeAccessTokenRequest({
    ...tokenRequestChecks(req, parsed),
    expectedCode: parsed.grant.code,
    pkce: { codeVerifier: parsed.pkceCodeVerifier, codeChallenge: session.codeChallenge, codeChallengeMethod: 'S256' },
  })
  const identifier = `${session.configurationId}-${b64url(randomBytes(6))}`
  state.identifiers.add(identifier)
  const response = await authorizationServer.createAccessTokenResponse({
    audience: base,
    authorizationServer: base,
    signer: { method: 'jwk', alg: 'EdDSA', publicJwk: tokenJwk },
    subject: parsed.grant.code,
    clientId: session.clientId,
    expiresInSeconds: 300,
    additionalAccessTokenResponsePayload: {
      authorization_details: [{ type: 'openid_credential', credential_configuration_id: session.configurationId, credential_identifiers: [identifier] }],
    },
  })
  return send(res, 200, response)
}

const server = http.createServer((req, res) => {
  handle(req, res).catch((error) => send(res, 500, { error: 'server_error', error_description: String(error).slice(0, 200) }))
})
server.listen(0, '127.0.0.1', () => {
  base = `http://127.0.0.1:${server.address().port}`
  issuerMetadata = metadataFor(base)
  process.stdout.write(JSON.stringify({ base }) + '\n')
})
const stop = () => server.close(() => process.exit(0))
process.on('SIGTERM', stop)
process.stdin.on('end', stop)
process.stdin.resume()
