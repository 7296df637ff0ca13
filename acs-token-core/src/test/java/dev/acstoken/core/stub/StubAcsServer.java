package dev.acstoken.core.stub;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.azure.core.http.HttpClient;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.http.policy.FixedDelayOptions;
import com.azure.core.http.policy.RetryOptions;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import dev.acstoken.core.azure.AcsIdentityClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A local HTTPS WireMock server with canned ACS Identity answers, and the pieces a test needs to
 * point the real Azure SDK at it: a connection string with a random key, and an Azure {@link
 * HttpClient} that trusts the server's certificate and nothing else.
 *
 * <p>WireMock's bundled keystore holds a certificate for {@code CN=Tom Akehurst} with no subject
 * alternative names, which the JDK's HttpClient rejects for {@code localhost} and {@code 127.0.0.1}
 * (hostname verification). So the fixture makes its own self-signed certificate for both names with
 * the JDK's {@code keytool}, once per test JVM.
 */
public final class StubAcsServer implements AutoCloseable {

  /** The resource GUID of the stub resource. */
  public static final String RESOURCE = "2dee53b4-368b-45b4-ab52-8493fb117652";

  private static final String STORE_PASSWORD = "stub-" + UUID.randomUUID();
  private static volatile Path keystore;

  private final WireMockServer server;
  private final String accessKey;
  private final SSLContext sslContext;

  private StubAcsServer(WireMockServer server, String accessKey, SSLContext sslContext) {
    this.server = server;
    this.accessKey = accessKey;
    this.sslContext = sslContext;
  }

  /** Starts a server on a free port, HTTPS only. */
  public static StubAcsServer start() {
    Path store = keystore();
    WireMockServer server =
        new WireMockServer(
            wireMockConfig()
                .httpDisabled(true)
                .dynamicHttpsPort()
                .keystorePath(store.toString())
                .keystoreType("PKCS12")
                .keystorePassword(STORE_PASSWORD)
                .keyManagerPassword(STORE_PASSWORD)
                .containerThreads(16)
                .jettyStopTimeout(0L));
    server.start();
    byte[] key = new byte[64];
    new SecureRandom().nextBytes(key);
    return new StubAcsServer(
        server, Base64.getEncoder().encodeToString(key), trustOnly(loadCertificate(store)));
  }

  /** Returns the WireMock server, to stub and verify. */
  public WireMockServer wireMock() {
    return server;
  }

  /** Returns the endpoint, {@code https://localhost:<port>/}. */
  public String endpoint() {
    return "https://localhost:" + server.httpsPort() + "/";
  }

  /** Returns the random access key of this server's connection string. */
  public String accessKey() {
    return accessKey;
  }

  /** Returns the connection string, as the portal shows one. */
  public String connectionString() {
    return "endpoint=" + endpoint() + ";accesskey=" + accessKey;
  }

  /** Returns an SSL context that trusts this server's certificate only. */
  public SSLContext sslContext() {
    return sslContext;
  }

  /** Returns an Azure HTTP client (the JDK's) that trusts this server's certificate only. */
  public HttpClient httpClient() {
    return new JdkHttpClientBuilder(java.net.http.HttpClient.newBuilder().sslContext(sslContext))
        .build();
  }

  /** Returns retry options for tests: two retries, no delay. */
  public static RetryOptions fastRetries() {
    return new RetryOptions(new FixedDelayOptions(2, Duration.ofMillis(1)));
  }

  /** Returns a client builder for this server: connection string, trusting client, fast retries. */
  public AcsIdentityClient.Builder clientBuilder() {
    return AcsIdentityClient.builder()
        .connectionString(connectionString())
        .httpClient(httpClient())
        .retryOptions(fastRetries());
  }

  /** Returns a new identity id of the stub resource. */
  public static String newIdentityId() {
    return "8:acs:" + RESOURCE + "_" + UUID.randomUUID();
  }

  /**
   * Returns a JWT shaped like an ACS token (RS256 header, ACS claims) for the identity and scopes,
   * with a random signature; each call returns a different token.
   */
  public static String jwt(String identity, String acsScope, Instant issuedAt, Instant expiresAt) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String header = "{\"alg\":\"RS256\",\"kid\":\"stub\",\"x5t\":\"stub\",\"typ\":\"JWT\"}";
    String payload =
        "{\"skypeid\":\""
            + identity.substring(2)
            + "\",\"scp\":1792,\"csi\":\""
            + issuedAt.getEpochSecond()
            + "\",\"exp\":"
            + expiresAt.getEpochSecond()
            + ",\"acsScope\":\""
            + acsScope
            + "\",\"resourceId\":\""
            + RESOURCE
            + "\",\"resourceLocation\":\"unitedstates\",\"iat\":"
            + issuedAt.getEpochSecond()
            + "}";
    byte[] signature = new byte[256];
    new SecureRandom().nextBytes(signature);
    return b64.encodeToString(header.getBytes(StandardCharsets.UTF_8))
        + "."
        + b64.encodeToString(payload.getBytes(StandardCharsets.UTF_8))
        + "."
        + b64.encodeToString(signature);
  }

  /** The expiry the stubs put on every token: as the service writes it, 7 fractional digits. */
  public static final String EXPIRES_ON = "2023-06-14T11:29:04.2902987+00:00";

  /** Returns a JSON answer with the headers the service sends. */
  public static ResponseDefinitionBuilder json(int status, String body) {
    return aResponse()
        .withStatus(status)
        .withHeader("Content-Type", "application/json; charset=utf-8")
        .withHeader("api-supported-versions", "2021-03-07, 2022-06-01, 2022-10-01, 2023-10-01")
        .withHeader("MS-CV", "ZQ2o6oD7Ckq2PU0S1AqZ0w.0")
        .withHeader("X-Processing-Time", "12ms")
        .withBody(body);
  }

  /** Returns an ACS error answer, {@code {"error":{"code","message"[,"target"]}}}. */
  public static ResponseDefinitionBuilder error(
      int status, String code, String message, String target) {
    return json(
        status,
        "{\"error\":{\"code\":\""
            + code
            + "\",\"message\":\""
            + message
            + "\""
            + (target == null ? "" : ",\"target\":\"" + target + "\"")
            + "}}");
  }

  /** Returns the path of an identity, raw as the Java SDK sends it. */
  public static String identityPath(String identity) {
    return "/identities/" + identity;
  }

  /**
   * Stubs a successful answer to every operation, for the identity given, and returns the tokens
   * the stubs hand out: create-with-token, issue and Teams exchange, in that order.
   */
  public List<String> stubEveryOperation(String identity) {
    Instant now = Instant.now();
    Instant expiry = now.plus(Duration.ofHours(24));
    List<String> tokens = new ArrayList<>();
    String withToken = jwt(identity, "chat,voip", now, expiry);
    String issued = jwt(identity, "voip", now, expiry);
    String teams =
        jwt("8:orgid:45ab2481-1c1c-4005-be24-0ffb879b1130", "voip", now, now.plusSeconds(3600));
    tokens.add(withToken);
    tokens.add(issued);
    tokens.add(teams);
    server.stubFor(
        post(urlPathEqualTo("/identities"))
            .willReturn(json(201, "{\"identity\":{\"id\":\"" + identity + "\"}}")));
    server.stubFor(
        post(urlPathEqualTo("/identities"))
            .withRequestBody(
                com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath(
                    "$.createTokenWithScopes"))
            .willReturn(
                json(
                    201,
                    "{\"identity\":{\"id\":\""
                        + identity
                        + "\"},\"accessToken\":{\"token\":\""
                        + withToken
                        + "\",\"expiresOn\":\""
                        + EXPIRES_ON
                        + "\"}}")));
    server.stubFor(
        post(urlPathEqualTo(identityPath(identity) + "/:issueAccessToken"))
            .willReturn(
                json(200, "{\"token\":\"" + issued + "\",\"expiresOn\":\"" + EXPIRES_ON + "\"}")));
    server.stubFor(
        post(urlPathEqualTo(identityPath(identity) + "/:revokeAccessTokens"))
            .willReturn(aResponse().withStatus(204)));
    server.stubFor(
        delete(urlPathEqualTo(identityPath(identity))).willReturn(aResponse().withStatus(204)));
    server.stubFor(
        post(urlPathEqualTo("/teamsUser/:exchangeAccessToken"))
            .willReturn(
                json(200, "{\"token\":\"" + teams + "\",\"expiresOn\":\"" + EXPIRES_ON + "\"}")));
    return tokens;
  }

  @Override
  public void close() {
    server.stop();
  }

  private static synchronized Path keystore() {
    if (keystore != null) {
      return keystore;
    }
    try {
      Path dir = Files.createTempDirectory("acs-token-tls");
      Path store = dir.resolve("localhost.p12");
      Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
      Process p =
          new ProcessBuilder(
                  keytool.toString(),
                  "-genkeypair",
                  "-alias",
                  "localhost",
                  "-keyalg",
                  "RSA",
                  "-keysize",
                  "2048",
                  "-validity",
                  "3650",
                  "-dname",
                  "CN=localhost",
                  "-ext",
                  "SAN=dns:localhost,ip:127.0.0.1",
                  "-storetype",
                  "PKCS12",
                  "-keystore",
                  store.toString(),
                  "-storepass",
                  STORE_PASSWORD,
                  "-keypass",
                  STORE_PASSWORD)
              .redirectErrorStream(true)
              .start();
      String out;
      try (InputStream in = p.getInputStream()) {
        out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException("keytool failed: " + out);
      }
      store.toFile().deleteOnExit();
      dir.toFile().deleteOnExit();
      keystore = store;
      return store;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static Certificate loadCertificate(Path store) {
    try (InputStream in = Files.newInputStream(store)) {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(in, STORE_PASSWORD.toCharArray());
      return ks.getCertificate("localhost");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Returns an SSL context whose only trust anchor is the given certificate. */
  static SSLContext trustOnly(Certificate certificate) {
    try {
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      trust.setCertificateEntry("stub", certificate);
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
