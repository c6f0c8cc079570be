/** The part of an SDK request the emulator signer touches. */
interface SignableRequest {
  headers: Record<string, string>;
}

/** What the SDK passes to a request signer (`signingDate`, the credential scope's region and service). */
interface SigningArguments {
  readonly signingDate?: Date;
  readonly signingRegion?: string;
  readonly signingService?: string;
}

const PLACEHOLDER_SIGNATURE = '0'.repeat(64);

/**
 * An SDK `signer` for the local emulators only (dynalite, fauxqs on loopback). They never verify a
 * signature, only that a SigV4 `Authorization` header is there (dynalite) and the region in its
 * credential scope (fauxqs names queues by it), so this writes that header with a placeholder
 * signature instead of hashing every request and deriving HMAC keys: measured, a fifth less of the
 * client's CPU per database call (`tools/bench/emulator-call-cost.ts`; docs/performance.md, "Surge:
 * the pipeline and the emulators (session 7)"). Real AWS refuses it, so only the clients' factories use it, and only for
 * the local stage on a loopback endpoint. The SDK passes no region to a custom signer: it is given here.
 */
export function emulatorSigner(scope: { readonly region: string; readonly service: 'dynamodb' | 'sqs' }) {
  return {
    async sign<TRequest extends SignableRequest>(request: TRequest, options: SigningArguments = {}) {
      const stamp = (options.signingDate ?? new Date()).toISOString().replace(/[-:]|\.\d{3}/g, '');
      const region = options.signingRegion ?? scope.region;
      const service = options.signingService ?? scope.service;
      request.headers['x-amz-date'] = stamp;
      request.headers.authorization = `AWS4-HMAC-SHA256 Credential=local/${stamp.slice(0, 8)}/${region}/${service}/aws4_request, SignedHeaders=host;x-amz-date, Signature=${PLACEHOLDER_SIGNATURE}`;
      return request;
    },
  };
}

/** Loopback hosts: the only endpoints the emulator signer is used for. */
export function isLoopbackEndpoint(endpoint: string): boolean {
  const { hostname } = new URL(endpoint);
  return hostname === '127.0.0.1' || hostname === 'localhost' || hostname === '[::1]';
}
