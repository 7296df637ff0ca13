package dev.acstoken.testkit;

import com.azure.communication.identity.CommunicationIdentityClientBuilder;
import com.azure.core.http.HttpClient;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.http.policy.FixedDelayOptions;
import com.azure.core.http.policy.RetryOptions;
import dev.acstoken.core.IdentityId;
import dev.acstoken.core.azure.AcsIdentityClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.function.Predicate;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;

/**
 * An HTTPS emulator of the ACS Identity REST API that the real Azure SDKs (Java, JS, Python, any
 * language) talk to over the network as they talk to Azure.
 *
 * <p>It verifies HMAC signatures and body hashes, serves api-versions {@code 2021-03-07}, {@code
 * 2022-06-01}, {@code 2022-10-01} and {@code 2023-10-01}, validates requests with the service's
 * error codes, messages and targets, keeps state (deleted identities are gone, revoked tokens are
 * invalid), issues RS256 tokens whose key it publishes as a JWKS, injects {@link Fault faults},
 * journals requests, and resets. Its TLS certificate (for {@code localhost} and {@code 127.0.0.1})
 * is made at start; {@link #sslContext()}, {@link #httpClient()} and the client builders trust it
 * without any JVM-wide change; {@link EmulatorTrust} does the same from the PEM of an emulator that
 * runs in another process.
 *
 * <p>Safe beside other jobs on a shared host: it listens on 127.0.0.1 only, on its own small
 * HTTP/1.1 server whose connections, request sizes, request times and journal are bounded; it
 * answers every request with the service's JSON (no foreign route or header); its {@code
 * /_emulator/} control routes need {@link #adminToken()} unless opened with {@link
 * Builder#openAdminRoutes()}.
 *
 * <p>Thread-safe; serves many concurrent clients. Start one per test class (starting takes a
 * fraction of a second), {@link #reset()} between tests, {@link #close()} at the end.
 *
 * <pre>{@code
 * try (AcsEmulator acs = AcsEmulator.builder().start()) {
 *   CommunicationIdentityClient client = acs.identityClientBuilder().buildClient();
 *   CommunicationUserIdentifier user = client.createUser();
 * }
 * }</pre>
 */
public final class AcsEmulator implements AutoCloseable {

  private static final String ADMIN_NOTE = "admin routes: /_emulator/";

  private final AcsEngine engine;
  private final EmulatorHandler handler;
  private final FaultRules<Fault> faults;
  private final EmulatorServer server;
  private final boolean tls;
  private final String accessKey;
  private final @Nullable String adminToken;
  private final @Nullable X509Certificate certificate;
  private final @Nullable SSLContext sslContext;
  private volatile @Nullable HttpClient httpClient;

  private AcsEmulator(
      AcsEngine engine,
      EmulatorHandler handler,
      FaultRules<Fault> faults,
      EmulatorServer server,
      boolean tls,
      String accessKey,
      @Nullable String adminToken,
      @Nullable X509Certificate certificate,
      @Nullable SSLContext sslContext) {
    this.engine = engine;
    this.handler = handler;
    this.faults = faults;
    this.server = server;
    this.tls = tls;
    this.accessKey = accessKey;
    this.adminToken = adminToken;
    this.certificate = certificate;
    this.sslContext = sslContext;
  }

  /** {@return a builder of an emulator} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return a started emulator with every default: TLS, a dynamic port, a random key} */
  public static AcsEmulator start() {
    return builder().start();
  }

  // ---- what clients need

  /** {@return the port the emulator listens on, on 127.0.0.1} */
  public int port() {
    return server.port();
  }

  /** {@return the endpoint, {@code https://127.0.0.1:<port>/}} */
  public String endpoint() {
    return (tls ? "https" : "http") + "://127.0.0.1:" + port() + "/";
  }

  /** {@return the base64 access key that signs requests; a test value} */
  public String accessKey() {
    return accessKey;
  }

  /**
   * Returns the token the {@code /_emulator/} control routes need in the {@code
   * X-Emulator-Admin-Token} header (all but {@code GET /_emulator/jwks}); a test value.
   *
   * @return the token, or empty when the routes were opened with {@link Builder#openAdminRoutes()}
   */
  public java.util.Optional<String> adminToken() {
    return java.util.Optional.ofNullable(adminToken);
  }

  /** {@return the connection string, {@code endpoint=https://127.0.0.1:<port>/;accesskey=...}} */
  public String connectionString() {
    return "endpoint=" + endpoint() + ";accesskey=" + accessKey;
  }

  /** {@return the GUID of the emulated resource, the one its identity ids carry} */
  public String resourceId() {
    return engine.resourceId();
  }

  /** {@return the clock tokens are issued and expire by} */
  public Clock clock() {
    return engine.clock();
  }

  /**
   * Returns the emulator's TLS certificate in PEM form, for clients that are not Java (e.g. {@code
   * NODE_EXTRA_CA_CERTS}).
   *
   * @return the PEM text
   * @throws IllegalStateException if the emulator runs without TLS
   */
  public String certificatePem() {
    if (certificate == null) {
      throw new IllegalStateException("the emulator runs without TLS; it has no certificate");
    }
    return Certificates.pem(certificate);
  }

  /**
   * Returns an {@link SSLContext} that trusts the emulator's certificate (and nothing else).
   *
   * @return the context
   * @throws IllegalStateException if the emulator runs without TLS
   */
  public SSLContext sslContext() {
    if (sslContext == null) {
      throw new IllegalStateException("the emulator runs without TLS; it has no SSLContext");
    }
    return sslContext;
  }

  /**
   * Returns an Azure HTTP client (the JDK's) that trusts the emulator's certificate; one per
   * emulator, shared by the client builders.
   *
   * @return the client
   */
  public HttpClient httpClient() {
    HttpClient c = httpClient;
    if (c == null) {
      synchronized (this) {
        c = httpClient;
        if (c == null) {
          c =
              sslContext != null
                  ? EmulatorTrust.httpClient(sslContext)
                  : new JdkHttpClientBuilder(java.net.http.HttpClient.newBuilder()).build();
          httpClient = c;
        }
      }
    }
    return c;
  }

  /** {@return retry options that retry like the SDK's default (3 times) but without delay} */
  public static RetryOptions zeroDelayRetryOptions() {
    return new RetryOptions(new FixedDelayOptions(3, Duration.ZERO));
  }

  /**
   * Returns an Azure SDK client builder set up for the emulator: its connection string, {@link
   * #httpClient()} and {@link #zeroDelayRetryOptions() zero-delay retries}.
   *
   * @return a new builder
   */
  public CommunicationIdentityClientBuilder identityClientBuilder() {
    return new CommunicationIdentityClientBuilder()
        .connectionString(connectionString())
        .httpClient(httpClient())
        .retryOptions(zeroDelayRetryOptions());
  }

  /**
   * Returns a builder of core's client set up for the emulator, as {@link #identityClientBuilder}.
   *
   * @return a new builder
   */
  public AcsIdentityClient.Builder acsIdentityClientBuilder() {
    return AcsIdentityClient.builder()
        .connectionString(connectionString())
        .httpClient(httpClient())
        .retryOptions(zeroDelayRetryOptions());
  }

  /**
   * Returns the public key that signs tokens, as a JSON Web Key Set (also at {@code
   * /_emulator/jwks}).
   *
   * @return the JWKS as JSON
   */
  public String jwks() {
    return engine.signer().jwks();
  }

  // ---- inspection

  /**
   * Returns whether a token was issued by this emulator and is still good: not expired by its
   * clock, not revoked, its identity not deleted.
   *
   * @param token a token value
   * @return whether the service would accept it now
   */
  public boolean isValid(@Nullable String token) {
    return engine.isValid(token);
  }

  /** {@return the identities that exist (created and not deleted), oldest first} */
  public List<IdentityId> identities() {
    return engine.identities();
  }

  /** {@return the identities that were deleted, oldest first} */
  public List<IdentityId> deletedIdentities() {
    return engine.deletedIdentities();
  }

  /**
   * Returns how many tokens were issued to an identity.
   *
   * @param identity the identity
   * @return the count; 0 for an unknown identity
   */
  public int issuedTokenCount(IdentityId identity) {
    return engine.issuedTokenCount(identity);
  }

  /**
   * Returns how many times the tokens of an identity were revoked.
   *
   * @param identity the identity
   * @return the count
   */
  public int revocationCount(IdentityId identity) {
    return engine.revocationCount(identity);
  }

  /**
   * Returns the tokens issued to an identity, oldest first.
   *
   * @param identity the identity
   * @return the tokens, valid or not
   */
  public List<IssuedToken> tokens(IdentityId identity) {
    return engine.tokens(identity);
  }

  /**
   * Returns how many requests of an operation passed authentication and reached the engine.
   *
   * @param operation the operation
   * @return the count
   */
  public long callCount(Operation operation) {
    return engine.calls(operation);
  }

  /**
   * Returns the request journal in order of arrival: the last 10,000 requests, fewer when they hold
   * more than about 4 MiB (long paths are cut short).
   *
   * @return the requests, oldest first
   */
  public List<RecordedRequest> requests() {
    return handler.requests();
  }

  // ---- faults and reset

  /**
   * Arms a fault for upcoming requests.
   *
   * @param fault the fault, with its target and count
   */
  public void inject(Fault fault) {
    if (fault == null) {
      throw new IllegalArgumentException("fault must not be null");
    }
    faults.add(
        fault.operation(),
        fault.identity() == null ? null : fault.identity().value(),
        fault.timesValue(),
        fault.probability(),
        fault.seed(),
        fault);
  }

  /** Disarms every fault. */
  public void clearFaults() {
    faults.clear();
  }

  /** Forgets every identity, token, count, fault and journal entry. */
  public void reset() {
    engine.reset();
    faults.clear();
    handler.clearJournal();
  }

  /** {@return the server's connection counts (served, waiting, refused, closed while idle)} */
  EmulatorServer.Counts connectionCounts() {
    return server.counts();
  }

  /** Stops the server; idempotent. */
  @Override
  public void close() {
    server.close();
  }

  /** {@return whether the server is running} */
  public boolean isRunning() {
    return server.isRunning();
  }

  @Override
  public String toString() {
    return "AcsEmulator[" + endpoint() + ", resource=" + resourceId() + ", " + ADMIN_NOTE + "]";
  }

  /** Builds and starts an {@link AcsEmulator}. Not thread-safe. */
  public static final class Builder {
    private int port;
    private @Nullable String accessKey;
    private Clock clock = Clock.systemUTC();
    private Clock requestClock = Clock.systemUTC();
    private String resourceId = AcsEngine.randomResourceId();
    private boolean tls = true;
    private boolean serviceLimits;
    private @Nullable Predicate<String> bearerCheck;
    private int journalCapacity = 10_000;
    private @Nullable String adminToken = randomToken();
    private Duration requestTimeout = Duration.ofSeconds(10);
    private int maxConnections = EmulatorServer.MAX_CONNECTIONS;
    private int maxWaiting = EmulatorServer.MAX_WAITING;

    private Builder() {}

    /** Sets the connection limits of the server (tests of the limits use small ones). */
    Builder connectionLimits(int served, int waiting) {
      this.maxConnections = served;
      this.maxWaiting = waiting;
      return this;
    }

    /**
     * Sets the port; 0, the default, picks a free one.
     *
     * @param port 0 to 65535
     * @return this builder
     */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port " + port + " is outside [0, 65535]");
      }
      this.port = port;
      return this;
    }

    /**
     * Sets the access key clients sign with. Default: 32 random bytes.
     *
     * @param base64 the key, base64
     * @return this builder
     * @throws IllegalArgumentException if it is not base64 or empty
     */
    public Builder accessKey(String base64) {
      byte[] decoded;
      try {
        decoded = Base64.getDecoder().decode(base64 == null ? "" : base64.trim());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("access key is not base64", null);
      }
      if (decoded.length == 0) {
        throw new IllegalArgumentException("access key must not be empty");
      }
      this.accessKey = base64.trim();
      return this;
    }

    /**
     * Sets the clock tokens are issued and expire by; a {@link MutableClock} lets a test move time.
     * Request dates ({@code x-ms-date}) are checked against the wall clock, because clients sign
     * with the real time. Default: the system clock.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      if (clock == null) {
        throw new IllegalArgumentException("clock must not be null");
      }
      this.clock = clock;
      return this;
    }

    /**
     * Sets the clock {@code x-ms-date} is checked against (within 15 minutes). Default: the system
     * clock.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder requestClock(Clock clock) {
      if (clock == null) {
        throw new IllegalArgumentException("request clock must not be null");
      }
      this.requestClock = clock;
      return this;
    }

    /**
     * Sets the GUID of the emulated resource. Default: random.
     *
     * @param resourceId a GUID
     * @return this builder
     */
    public Builder resourceId(String resourceId) {
      AcsEngine.requireGuid("resource id", resourceId);
      this.resourceId = resourceId.toLowerCase(java.util.Locale.ROOT);
      return this;
    }

    /**
     * Serves HTTPS (the default) or plain HTTP. The Azure SDKs refuse plain HTTP endpoints; turn
     * TLS off only for raw HTTP tests.
     *
     * @param tls whether to serve HTTPS
     * @return this builder
     */
    public Builder tls(boolean tls) {
      this.tls = tls;
      return this;
    }

    /**
     * Enforces the service's per-resource limits with 429 answers; see {@link
     * FakeAcs.Builder#serviceLimits}. Default: off.
     *
     * @param enforce whether to enforce them
     * @return this builder
     */
    public Builder serviceLimits(boolean enforce) {
      this.serviceLimits = enforce;
      return this;
    }

    /**
     * Accepts Entra ID bearer tokens ({@code Authorization: Bearer ...}) that pass a check; without
     * one, bearer tokens are refused with 401.
     *
     * @param check decides whether a bearer token is good
     * @return this builder
     */
    public Builder bearerTokenCheck(Predicate<String> check) {
      if (check == null) {
        throw new IllegalArgumentException("check must not be null");
      }
      this.bearerCheck = check;
      return this;
    }

    /**
     * Sets the token the {@code /_emulator/} control routes need in the {@code
     * X-Emulator-Admin-Token} header, so that no other process on the host can reset the emulator,
     * arm faults or read its journal. Default: random, see {@link AcsEmulator#adminToken()}.
     *
     * @param token at least 16 characters of visible ASCII
     * @return this builder
     * @throws IllegalArgumentException if it is shorter or holds other characters
     */
    public Builder adminToken(String token) {
      if (token == null || token.length() < 16 || !token.chars().allMatch(c -> c > 32 && c < 127)) {
        throw new IllegalArgumentException(
            "admin token must be at least 16 characters of visible ASCII (no spaces)");
      }
      this.adminToken = token;
      return this;
    }

    /**
     * Opens the {@code /_emulator/} control routes to any local client without a token; for a host
     * that runs nothing else.
     *
     * @return this builder
     */
    public Builder openAdminRoutes() {
      this.adminToken = null;
      return this;
    }

    /**
     * Sets how long a request may take to arrive, from its first byte to its last (the TLS
     * handshake included): a client slower than that is disconnected, so that slow connections
     * cannot hold the emulator's threads. Default: 10 seconds.
     *
     * @param timeout within [100 ms, 5 minutes]
     * @return this builder
     */
    public Builder requestTimeout(Duration timeout) {
      if (timeout == null
          || timeout.compareTo(Duration.ofMillis(100)) < 0
          || timeout.compareTo(Duration.ofMinutes(5)) > 0) {
        throw new IllegalArgumentException(
            "request timeout " + timeout + " must be within [100 ms, 5 minutes] (PT0.1S to PT5M)");
      }
      this.requestTimeout = timeout;
      return this;
    }

    /**
     * Starts the emulator.
     *
     * @return the running emulator
     * @throws IllegalStateException if the server cannot start (e.g. the port is taken)
     */
    public AcsEmulator start() {
      String key = accessKey;
      if (key == null) {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        key = Base64.getEncoder().encodeToString(b);
      }
      AcsEngine engine = new AcsEngine(clock, resourceId, serviceLimits);
      FaultRules<Fault> faults = new FaultRules<>();
      EmulatorHandler handler =
          new EmulatorHandler(
              engine,
              new HmacVerifier(key),
              bearerCheck,
              requestClock,
              faults,
              journalCapacity,
              adminToken);
      X509Certificate cert = null;
      SSLContext serverSsl = null;
      SSLContext clientSsl = null;
      if (tls) {
        KeyPair keys = Certificates.ecKeyPair();
        cert = Certificates.tlsServer(keys);
        serverSsl = serving(keys, cert);
        clientSsl = EmulatorTrust.sslContext(cert);
      }
      EmulatorServer server;
      try {
        server =
            EmulatorServer.start(
                port, serverSsl, handler, requestClock, requestTimeout, maxConnections, maxWaiting);
      } catch (IOException e) {
        throw new IllegalStateException(
            "the ACS emulator could not start on port " + port + ": " + e.getMessage(), e);
      }
      return new AcsEmulator(
          engine, handler, faults, server, tls, key, adminToken, cert, clientSsl);
    }

    private static String randomToken() {
      byte[] b = new byte[24];
      new SecureRandom().nextBytes(b);
      return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static SSLContext serving(KeyPair keys, X509Certificate cert) {
      try {
        char[] password = new char[0];
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("acs-emulator", keys.getPrivate(), password, new Certificate[] {cert});
        KeyManagerFactory kmf =
            KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, password);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        return ctx;
      } catch (IOException e) {
        throw new UncheckedIOException("could not make the emulator's key store", e);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("could not make the emulator's TLS context", e);
      }
    }
  }
}
