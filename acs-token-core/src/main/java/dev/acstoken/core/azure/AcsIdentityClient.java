package dev.acstoken.core.azure;

import com.azure.communication.common.CommunicationUserIdentifier;
import com.azure.communication.identity.CommunicationIdentityAsyncClient;
import com.azure.communication.identity.CommunicationIdentityClientBuilder;
import com.azure.communication.identity.models.CommunicationTokenScope;
import com.azure.communication.identity.models.CommunicationUserIdentifierAndToken;
import com.azure.communication.identity.models.GetTokenForTeamsUserOptions;
import com.azure.core.credential.AzureKeyCredential;
import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpHeaders;
import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelineNextPolicy;
import com.azure.core.http.HttpPipelinePosition;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.http.policy.HttpLogDetailLevel;
import com.azure.core.http.policy.HttpLogOptions;
import com.azure.core.http.policy.HttpPipelinePolicy;
import com.azure.core.http.policy.RetryOptions;
import dev.acstoken.core.AccessToken;
import dev.acstoken.core.IdentityId;
import dev.acstoken.core.IdentityOperations;
import dev.acstoken.core.IdentityWithToken;
import dev.acstoken.core.Scope;
import dev.acstoken.core.TeamsTokenRequest;
import dev.acstoken.core.TokenLifetime;
import dev.acstoken.core.TokenProvider;
import dev.acstoken.core.TokenRequest;
import dev.acstoken.core.error.AcsException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * A {@link TokenProvider} and {@link IdentityOperations} over the Azure Communication Identity SDK
 * ({@code CommunicationIdentityAsyncClient}).
 *
 * <p>Create one per ACS resource and share it: it is thread-safe and holds no per-call state. Every
 * call validates its arguments before any network traffic, gets a client request id (sent as {@code
 * x-ms-client-request-id}, logged and kept in errors), is bounded by the per-call {@link
 * Builder#timeout(Duration) timeout} (which covers the SDK's own retries), and maps failures to
 * {@link AcsException}s. The blocking methods wait for their async twin.
 *
 * <p>Each operation logs one line at debug level through SLF4J: the operation, the identity,
 * scopes, expiry, duration and request id. No token, key or connection string is ever logged.
 *
 * <pre>{@code
 * AcsIdentityClient acs = AcsIdentityClient.create(System.getenv("ACS_CONNECTION_STRING"));
 * IdentityId user = acs.createIdentity();
 * AccessToken token = acs.getToken(TokenRequest.of(user, Scope.VOIP));
 * }</pre>
 */
public final class AcsIdentityClient implements TokenProvider, IdentityOperations {

  /** The default per-call timeout: 30 seconds, covering the SDK's retries. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  private static final Logger LOG = LoggerFactory.getLogger(AcsIdentityClient.class);
  static final String REQUEST_ID_KEY = "acs-token-client-request-id";

  /** The call context's key of the {@link LastAnswer} that {@link LastAnswerPolicy} fills. */
  static final String LAST_ANSWER_KEY = "acs-token-last-answer";

  /**
   * Reactor's context key for a per-subscription handler of errors that arrive after a cancellation
   * (the value of the package-private {@code Hooks.KEY_ON_ERROR_DROPPED}). When the per-call
   * timeout cancels a request, the JDK HTTP client then fails it with "Request cancelled"; without
   * a handler Reactor logs that at ERROR with a stack trace, for every timeout. The call has
   * already failed with a {@code RequestTimeoutException}, so the late error is worth a debug line,
   * no more.
   */
  static final String ON_ERROR_DROPPED_KEY = "reactor.onErrorDropped.local";

  private final CommunicationIdentityAsyncClient client;
  private final String endpoint;
  private final Duration timeout;

  private AcsIdentityClient(
      CommunicationIdentityAsyncClient client, String endpoint, Duration timeout) {
    this.client = client;
    this.endpoint = endpoint;
    this.timeout = timeout;
  }

  /**
   * Creates a client of a connection string, with the default HTTP client (the JDK's), retries and
   * timeout.
   *
   * @param connectionString {@code endpoint=https://...;accesskey=...}
   * @return the client
   * @throws IllegalArgumentException if the connection string is invalid (the message never
   *     contains the key)
   */
  public static AcsIdentityClient create(String connectionString) {
    return builder().connectionString(connectionString).build();
  }

  /**
   * Creates a client of the connection string in the environment variable {@code
   * ACS_CONNECTION_STRING}.
   *
   * @return the client
   * @throws IllegalStateException if the variable is not set
   * @throws IllegalArgumentException if its value is not a valid connection string
   */
  public static AcsIdentityClient fromEnvironment() {
    return builder().connectionString(ConnectionString.fromEnvironment()).build();
  }

  /** {@return a builder of a client} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return the endpoint of the resource this client talks to} */
  public String endpoint() {
    return endpoint;
  }

  /** {@return the per-call timeout} */
  public Duration timeout() {
    return timeout;
  }

  // ---- TokenProvider

  @Override
  public AccessToken getToken(TokenRequest request) {
    return await(getTokenAsync(request));
  }

  @Override
  public CompletableFuture<AccessToken> getTokenAsync(TokenRequest request) {
    require(request, "token request");
    CommunicationUserIdentifier user = new CommunicationUserIdentifier(request.identity().value());
    List<CommunicationTokenScope> scopes = toSdk(request.scopes());
    Mono<com.azure.core.credential.AccessToken> mono =
        request
            .lifetime()
            .map(l -> client.getToken(user, scopes, l.toDuration()))
            .orElseGet(() -> client.getToken(user, scopes));
    String detail =
        request.identity()
            + " scopes="
            + request.scopes()
            + " lifetime="
            + request.lifetime().map(Object::toString).orElse("default");
    return call(
        "issueToken", detail, mono, AcsIdentityClient::toToken, t -> "expiresAt=" + t.expiresAt());
  }

  // ---- IdentityOperations

  @Override
  public IdentityId createIdentity() {
    return await(createIdentityAsync());
  }

  @Override
  public CompletableFuture<IdentityId> createIdentityAsync() {
    return call(
        "createIdentity",
        "",
        client.createUser(),
        u -> IdentityId.of(u.getId()),
        id -> "identity=" + id);
  }

  @Override
  public IdentityWithToken createIdentityWithToken(
      Set<Scope> scopes, @Nullable TokenLifetime lifetime) {
    return await(createIdentityWithTokenAsync(scopes, lifetime));
  }

  @Override
  public CompletableFuture<IdentityWithToken> createIdentityWithTokenAsync(
      Set<Scope> scopes, @Nullable TokenLifetime lifetime) {
    Set<Scope> canonical = Scope.canonical(scopes);
    List<CommunicationTokenScope> sdkScopes = toSdk(canonical);
    Mono<CommunicationUserIdentifierAndToken> mono =
        lifetime == null
            ? client.createUserAndToken(sdkScopes)
            : client.createUserAndToken(sdkScopes, lifetime.toDuration());
    return call(
        "createIdentityWithToken",
        "scopes=" + canonical + " lifetime=" + (lifetime == null ? "default" : lifetime),
        mono,
        r -> IdentityWithToken.of(IdentityId.of(r.getUser().getId()), toToken(r.getUserToken())),
        r -> "identity=" + r.identity() + " expiresAt=" + r.token().expiresAt());
  }

  @Override
  public void revokeTokens(IdentityId identity) {
    await(revokeTokensAsync(identity));
  }

  @Override
  public CompletableFuture<Void> revokeTokensAsync(IdentityId identity) {
    require(identity, "identity");
    return call(
        "revokeTokens",
        identity.toString(),
        client.revokeTokens(new CommunicationUserIdentifier(identity.value())),
        v -> v,
        v -> "");
  }

  @Override
  public void deleteIdentity(IdentityId identity) {
    await(deleteIdentityAsync(identity));
  }

  @Override
  public CompletableFuture<Void> deleteIdentityAsync(IdentityId identity) {
    require(identity, "identity");
    return call(
        "deleteIdentity",
        identity.toString(),
        client.deleteUser(new CommunicationUserIdentifier(identity.value())),
        v -> v,
        v -> "");
  }

  @Override
  public AccessToken exchangeTeamsToken(TeamsTokenRequest request) {
    return await(exchangeTeamsTokenAsync(request));
  }

  @Override
  public CompletableFuture<AccessToken> exchangeTeamsTokenAsync(TeamsTokenRequest request) {
    require(request, "Teams token request");
    GetTokenForTeamsUserOptions options =
        new GetTokenForTeamsUserOptions(request.entraToken(), request.appId(), request.userId());
    return call(
        "exchangeTeamsToken",
        "appId=" + request.appId() + " userId=" + request.userId(),
        client.getTokenForTeamsUser(options),
        AcsIdentityClient::toToken,
        t -> "expiresAt=" + t.expiresAt());
  }

  @Override
  public String toString() {
    return "AcsIdentityClient[endpoint=" + endpoint + ", timeout=" + timeout + "]";
  }

  // ---- plumbing

  private <S, T> CompletableFuture<T> call(
      String operation,
      String detail,
      Mono<S> mono,
      Function<S, T> convert,
      Function<T, String> describe) {
    String requestId = UUID.randomUUID().toString();
    long start = System.nanoTime();
    CompletableFuture<T> result = new CompletableFuture<>();
    LastAnswer lastAnswer = new LastAnswer();
    CompletableFuture<S> upstream =
        mono.timeout(timeout)
            .contextWrite(
                ctx ->
                    ctx.put(REQUEST_ID_KEY, requestId)
                        .put(LAST_ANSWER_KEY, lastAnswer)
                        .put(
                            ON_ERROR_DROPPED_KEY,
                            (Consumer<Throwable>)
                                late ->
                                    LOG.debug(
                                        "{} requestId={}: error after the call had ended, dropped: {}",
                                        operation,
                                        requestId,
                                        late.getClass().getSimpleName())))
            .toFuture();
    // a caller that cancels the returned future cancels the request, not just its wait for it
    result.whenComplete(
        (value, error) -> {
          if (result.isCancelled()) {
            upstream.cancel(true);
          }
        });
    upstream.whenComplete(
        (value, error) -> {
          long tookMs = (System.nanoTime() - start) / 1_000_000;
          if (error != null) {
            AcsException mapped =
                ErrorMapping.map(
                    error,
                    operation,
                    requestId,
                    endpoint,
                    timeout,
                    lastAnswer.status(),
                    lastAnswer.headers());
            LOG.debug(
                "{} {} failed after {} ms: {} requestId={}",
                operation,
                detail,
                tookMs,
                mapped.getClass().getSimpleName(),
                requestId);
            result.completeExceptionally(mapped);
            return;
          }
          try {
            T converted = value == null ? null : convert.apply(value);
            if (LOG.isDebugEnabled()) {
              LOG.debug(
                  "{} {} {} took {} ms requestId={}",
                  operation,
                  detail,
                  converted == null ? "" : describe.apply(converted),
                  tookMs,
                  requestId);
            }
            result.complete(converted);
          } catch (RuntimeException e) {
            result.completeExceptionally(
                new AcsException(
                    operation + " got an answer it could not read: " + e.getClass().getSimpleName(),
                    AcsException.NO_STATUS,
                    null,
                    requestId,
                    e));
          }
        });
    return result;
  }

  /**
   * Returns the SDK's HTTP log options (taken from {@code AZURE_HTTP_LOG_DETAIL_LEVEL}) without
   * body logging: response bodies carry tokens and the Teams exchange's request body an Entra
   * token, so the SDK logs at most the headers, which it redacts except for an allow-list.
   */
  static HttpLogOptions withoutBodies(HttpLogOptions options) {
    HttpLogDetailLevel level = options.getLogLevel();
    if (level == HttpLogDetailLevel.BODY_AND_HEADERS) {
      options.setLogLevel(HttpLogDetailLevel.HEADERS);
    } else if (level == HttpLogDetailLevel.BODY) {
      options.setLogLevel(HttpLogDetailLevel.BASIC);
    }
    return options;
  }

  private static <T> T await(CompletableFuture<T> future) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      future.cancel(true);
      throw new AcsException(
          "interrupted while waiting for the ACS service", AcsException.NO_STATUS, null, null, e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof AcsException) {
        throw (AcsException) cause;
      }
      throw new AcsException(
          "ACS call failed: " + (cause == null ? "unknown" : cause.getClass().getSimpleName()),
          AcsException.NO_STATUS,
          null,
          null,
          cause);
    }
  }

  private static AccessToken toToken(com.azure.core.credential.AccessToken t) {
    return AccessToken.of(t.getToken(), t.getExpiresAt().toInstant());
  }

  private static List<CommunicationTokenScope> toSdk(Collection<Scope> scopes) {
    List<CommunicationTokenScope> out = new ArrayList<>(scopes.size());
    for (Scope s : scopes) {
      out.add(CommunicationTokenScope.fromString(s.wireName()));
    }
    return out;
  }

  private static void require(@Nullable Object value, String what) {
    if (value == null) {
      throw new IllegalArgumentException(what + " must not be null");
    }
  }

  /**
   * Sends the call's client request id, so that our logs, our errors and the service agree on it.
   *
   * <p>The identity client builder appends custom policies after its own whatever their position,
   * so this runs once per try, after the SDK's {@code RequestIdPolicy} (whose random id it
   * replaces) and after the SDK's {@code HttpLoggingPolicy}: with SDK HTTP logging on, the SDK's
   * log line shows the replaced id, not the one sent.
   */
  static final class ClientRequestIdPolicy implements HttpPipelinePolicy {
    @Override
    public Mono<HttpResponse> process(
        HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
      context
          .getData(REQUEST_ID_KEY)
          .ifPresent(
              id ->
                  context
                      .getHttpRequest()
                      .setHeader(HttpHeaderName.X_MS_CLIENT_REQUEST_ID, id.toString()));
      return next.process();
    }

    @Override
    public HttpPipelinePosition getPipelinePosition() {
      return HttpPipelinePosition.PER_CALL;
    }
  }

  /**
   * The status and headers of the last answer a call got, over all the SDK's tries. When the
   * per-call timeout runs out while the SDK waits to retry a 429 or a 5xx (it honours {@code
   * Retry-After}, which may be longer than the timeout), the caller learns of the throttling or the
   * outage, and of the wait the service asked for, rather than of a bare timeout. Thread-safe.
   */
  static final class LastAnswer {
    private final AtomicReference<@Nullable HttpResponse> last = new AtomicReference<>();

    void record(HttpResponse response) {
      last.set(response);
    }

    int status() {
      HttpResponse r = last.get();
      return r == null ? AcsException.NO_STATUS : r.getStatusCode();
    }

    @Nullable HttpHeaders headers() {
      HttpResponse r = last.get();
      return r == null ? null : r.getHeaders();
    }
  }

  /** Records every try's answer in the call's {@link LastAnswer}; runs once per try. */
  static final class LastAnswerPolicy implements HttpPipelinePolicy {
    @Override
    public Mono<HttpResponse> process(
        HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
      Object holder = context.getData(LAST_ANSWER_KEY).orElse(null);
      if (!(holder instanceof LastAnswer)) {
        return next.process();
      }
      LastAnswer lastAnswer = (LastAnswer) holder;
      return next.process().doOnNext(lastAnswer::record);
    }

    @Override
    public HttpPipelinePosition getPipelinePosition() {
      return HttpPipelinePosition.PER_RETRY;
    }
  }

  /**
   * Drops the headers that the JDK's HttpClient refuses to send ({@code Host}, {@code
   * Content-Length}, ...) before the request reaches it. The SDK sets {@code Host} for the HMAC
   * signature and {@code Content-Length} for the body; the JDK client ignores both and computes its
   * own, but logs a WARN line per header and request. Runs after the signature (the SDK adds custom
   * policies after its own), so what goes over the wire is unchanged; headers the user allowed
   * through {@code jdk.httpclient.allowRestrictedHeaders} are kept.
   */
  static final class JdkRestrictedHeadersPolicy implements HttpPipelinePolicy {
    static final String ALLOW_PROPERTY = "jdk.httpclient.allowRestrictedHeaders";
    private static final List<String> RESTRICTED =
        List.of("connection", "content-length", "expect", "host", "upgrade");

    private final List<HttpHeaderName> dropped;

    JdkRestrictedHeadersPolicy(String allowed) {
      Set<String> allow = new java.util.HashSet<>();
      for (String name : allowed.split(",")) {
        allow.add(name.trim().toLowerCase(java.util.Locale.ROOT));
      }
      List<HttpHeaderName> names = new ArrayList<>();
      for (String name : RESTRICTED) {
        if (!allow.contains(name)) {
          names.add(HttpHeaderName.fromString(name));
        }
      }
      this.dropped = List.copyOf(names);
    }

    static boolean isJdkClient(HttpClient client) {
      return "com.azure.core.http.jdk.httpclient.JdkHttpClient".equals(client.getClass().getName());
    }

    @Override
    public Mono<HttpResponse> process(
        HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
      HttpHeaders headers = context.getHttpRequest().getHeaders();
      for (HttpHeaderName name : dropped) {
        headers.remove(name);
      }
      return next.process();
    }

    @Override
    public HttpPipelinePosition getPipelinePosition() {
      return HttpPipelinePosition.PER_RETRY;
    }
  }

  /**
   * Builds an {@link AcsIdentityClient}. Give exactly one way to authenticate: a connection string,
   * an endpoint and access key, or an endpoint and a {@link TokenCredential}. Setters validate at
   * once; {@link #build()} checks the combination. Not thread-safe.
   */
  public static final class Builder {
    private @Nullable ConnectionString connectionString;
    private @Nullable String endpoint;
    private @Nullable String accessKey;
    private @Nullable TokenCredential credential;
    private @Nullable HttpClient httpClient;
    private @Nullable RetryOptions retryOptions;
    private Duration timeout = DEFAULT_TIMEOUT;

    private Builder() {}

    /**
     * Authenticates with a connection string (HMAC with its access key).
     *
     * @param connectionString {@code endpoint=https://...;accesskey=...}
     * @return this builder
     * @throws IllegalArgumentException if it is invalid; the message never holds the key
     */
    public Builder connectionString(String connectionString) {
      return connectionString(ConnectionString.parse(connectionString));
    }

    /**
     * Authenticates with a parsed connection string.
     *
     * @param connectionString the connection string
     * @return this builder
     */
    public Builder connectionString(ConnectionString connectionString) {
      require(connectionString, "connection string");
      this.connectionString = connectionString;
      return this;
    }

    /**
     * Sets the resource's endpoint, for use with {@link #accessKey} or {@link #credential}.
     *
     * @param endpoint an absolute https URL, e.g. {@code https://contoso.communication.azure.com/}
     * @return this builder
     * @throws IllegalArgumentException if it is not an absolute https URL
     */
    public Builder endpoint(String endpoint) {
      require(endpoint, "endpoint");
      this.endpoint = ConnectionString.parseEndpoint(endpoint.trim()).toString();
      return this;
    }

    /**
     * Authenticates with the resource's access key (HMAC), together with {@link #endpoint}.
     *
     * @param accessKey the base64 key
     * @return this builder
     * @throws IllegalArgumentException if it is not base64; the message never holds the key
     */
    public Builder accessKey(String accessKey) {
      require(accessKey, "access key");
      ConnectionString.of("https://validation.invalid/", accessKey);
      this.accessKey = accessKey.trim();
      return this;
    }

    /**
     * Authenticates with Microsoft Entra ID, together with {@link #endpoint}; the SDK asks the
     * credential for scope {@code https://communication.azure.com//.default}.
     *
     * @param credential an Azure credential, e.g. from {@code azure-identity}
     * @return this builder
     */
    public Builder credential(TokenCredential credential) {
      require(credential, "credential");
      this.credential = credential;
      return this;
    }

    /**
     * Sets the Azure HTTP client. By default the JDK's ({@code azure-core-http-jdk-httpclient}); to
     * use Netty, add {@code azure-core-http-netty} and pass {@code new
     * NettyAsyncHttpClientBuilder().build()}.
     *
     * @param httpClient the client
     * @return this builder
     */
    public Builder httpClient(HttpClient httpClient) {
      require(httpClient, "HTTP client");
      this.httpClient = httpClient;
      return this;
    }

    /**
     * Sets the SDK's retry options; by default 3 retries, exponential from 800 ms to 8 s, on
     * 408/429/5xx, honouring {@code Retry-After}.
     *
     * @param retryOptions the options
     * @return this builder
     */
    public Builder retryOptions(RetryOptions retryOptions) {
      require(retryOptions, "retry options");
      this.retryOptions = retryOptions;
      return this;
    }

    /**
     * Sets the per-call timeout, which bounds a whole call including the SDK's retries; default
     * {@link AcsIdentityClient#DEFAULT_TIMEOUT 30 seconds}.
     *
     * @param timeout positive, at most 10 minutes
     * @return this builder
     * @throws IllegalArgumentException if it is not positive or longer than 10 minutes
     */
    public Builder timeout(Duration timeout) {
      require(timeout, "timeout");
      if (timeout.isNegative()
          || timeout.isZero()
          || timeout.compareTo(Duration.ofMinutes(10)) > 0) {
        throw new IllegalArgumentException(
            "timeout must be more than zero and at most PT10M; got " + timeout);
      }
      this.timeout = timeout;
      return this;
    }

    /**
     * Builds the client.
     *
     * @return the client
     * @throws IllegalStateException if no way or more than one way to authenticate was given
     */
    public AcsIdentityClient build() {
      int ways =
          (connectionString != null ? 1 : 0)
              + (accessKey != null ? 1 : 0)
              + (credential != null ? 1 : 0);
      if (ways != 1) {
        throw new IllegalStateException(
            "give exactly one way to authenticate: connectionString(...), endpoint(...) with accessKey(...), or endpoint(...) with credential(...); got "
                + ways);
      }
      if (connectionString != null && endpoint != null) {
        throw new IllegalStateException(
            "endpoint(...) and connectionString(...) were both given; the connection string names the endpoint");
      }
      CommunicationIdentityClientBuilder b = new CommunicationIdentityClientBuilder();
      String resolvedEndpoint;
      if (connectionString != null) {
        resolvedEndpoint = connectionString.endpoint().toString();
        b.endpoint(resolvedEndpoint)
            .credential(new AzureKeyCredential(connectionString.accessKey()));
      } else {
        if (endpoint == null) {
          throw new IllegalStateException(
              (accessKey != null ? "accessKey(...)" : "credential(...)")
                  + " needs endpoint(...) too");
        }
        resolvedEndpoint = endpoint;
        b.endpoint(endpoint);
        if (accessKey != null) {
          b.credential(new AzureKeyCredential(accessKey));
        } else {
          b.credential(credential);
        }
      }
      b.httpClient(httpClient != null ? httpClient : new JdkHttpClientBuilder().build());
      b.httpLogOptions(withoutBodies(new HttpLogOptions()));
      if (retryOptions != null) {
        b.retryOptions(retryOptions);
      }
      b.addPolicy(new ClientRequestIdPolicy());
      b.addPolicy(new LastAnswerPolicy());
      if (httpClient == null || JdkRestrictedHeadersPolicy.isJdkClient(httpClient)) {
        b.addPolicy(
            new JdkRestrictedHeadersPolicy(
                System.getProperty(JdkRestrictedHeadersPolicy.ALLOW_PROPERTY, "")));
      }
      return new AcsIdentityClient(
          b.buildAsyncClient(), URI.create(resolvedEndpoint).toString(), timeout);
    }
  }
}
