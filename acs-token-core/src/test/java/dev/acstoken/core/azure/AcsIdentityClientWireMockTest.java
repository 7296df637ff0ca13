package dev.acstoken.core.azure;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static dev.acstoken.core.stub.StubAcsServer.EXPIRES_ON;
import static dev.acstoken.core.stub.StubAcsServer.error;
import static dev.acstoken.core.stub.StubAcsServer.identityPath;
import static dev.acstoken.core.stub.StubAcsServer.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.azure.core.http.policy.FixedDelayOptions;
import com.azure.core.http.policy.RetryOptions;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.acstoken.core.AccessToken;
import dev.acstoken.core.IdentityId;
import dev.acstoken.core.IdentityWithToken;
import dev.acstoken.core.Scope;
import dev.acstoken.core.TeamsTokenRequest;
import dev.acstoken.core.TokenLifetime;
import dev.acstoken.core.TokenRequest;
import dev.acstoken.core.error.AcsException;
import dev.acstoken.core.error.InvalidRequestException;
import dev.acstoken.core.error.NotFoundException;
import dev.acstoken.core.error.RequestTimeoutException;
import dev.acstoken.core.error.ServiceUnavailableException;
import dev.acstoken.core.error.ThrottledException;
import dev.acstoken.core.error.TransportException;
import dev.acstoken.core.error.UnauthorizedException;
import dev.acstoken.core.stub.StubAcsServer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The real Azure SDK path, over HTTPS, against canned ACS answers: every operation, every error
 * class, and what went over the wire.
 */
class AcsIdentityClientWireMockTest {

  static final String API_VERSION = "2022-10-01";
  static final String UUID_PATTERN = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
  static final String APP = "8c9d6a1e-7a6b-4d3a-9b2c-1e2f3a4b5c6d";
  static final String TEAMS_USER = "45ab2481-1c1c-4005-be24-0ffb879b1130";

  static StubAcsServer acs;
  static WireMockServer wireMock;
  static AcsIdentityClient client;

  String identity;
  IdentityId user;

  @BeforeAll
  static void startServer() {
    acs = StubAcsServer.start();
    wireMock = acs.wireMock();
    client = acs.clientBuilder().build();
  }

  @AfterAll
  static void stopServer() {
    acs.close();
  }

  @BeforeEach
  void reset() {
    wireMock.resetAll();
    identity = StubAcsServer.newIdentityId();
    user = IdentityId.of(identity);
  }

  // ---- success

  @Test
  void createIdentity_201_returnsIdAndSendsSignedEmptyObject() throws Exception {
    acs.stubEveryOperation(identity);

    IdentityId created = client.createIdentity();

    assertThat(created).isEqualTo(user);
    LoggedRequest request = onlyRequest();
    assertThat(request.getMethod().getName()).isEqualTo("POST");
    assertThat(request.getUrl()).isEqualTo("/identities?api-version=" + API_VERSION);
    assertThat(request.getBodyAsString()).isEqualTo("{}");
    assertSignedAndCorrelated(request);
  }

  @Test
  void createIdentity_ipAddressEndpoint_certificateAcceptedAndHostSignedWithoutPort() {
    acs.stubEveryOperation(identity);
    String ipEndpoint = acs.endpoint().replace("localhost", "127.0.0.1");
    AcsIdentityClient byIp =
        AcsIdentityClient.builder()
            .endpoint(ipEndpoint)
            .accessKey(acs.accessKey())
            .httpClient(acs.httpClient())
            .retryOptions(StubAcsServer.fastRetries())
            .build();

    assertThat(byIp.createIdentity()).isEqualTo(user);
    LoggedRequest request = onlyRequest();
    assertThat(request.getHeader("Host")).isEqualTo("127.0.0.1:" + wireMock.httpsPort());
    assertSignedAndCorrelated(request, "127.0.0.1");
  }

  @Test
  void createIdentityWithToken_201_returnsBothAndSendsScopesAndLifetime() {
    List<String> tokens = acs.stubEveryOperation(identity);

    IdentityWithToken created =
        client.createIdentityWithToken(EnumSet.of(Scope.VOIP, Scope.CHAT), TokenLifetime.MIN);

    assertThat(created.identity()).isEqualTo(user);
    assertThat(created.token().value()).isEqualTo(tokens.get(0));
    assertThat(created.token().expiresAt())
        .isEqualTo(Instant.parse("2023-06-14T11:29:04.2902987Z"));
    LoggedRequest request = onlyRequest();
    assertThat(request.getUrl()).isEqualTo("/identities?api-version=" + API_VERSION);
    assertThat(request.getBodyAsString())
        .isEqualTo("{\"createTokenWithScopes\":[\"chat\",\"voip\"],\"expiresInMinutes\":60}");
    assertSignedAndCorrelated(request);
  }

  @Test
  void createIdentityWithToken_defaultLifetime_sendsNoExpiresInMinutes() {
    acs.stubEveryOperation(identity);

    client.createIdentityWithToken(EnumSet.of(Scope.CHAT_JOIN), null);

    assertThat(onlyRequest().getBodyAsString())
        .isEqualTo("{\"createTokenWithScopes\":[\"chat.join\"]}");
  }

  @Test
  void getToken_200_returnsTokenAndSendsScopesAndLifetimeToTheIdentityPath() {
    List<String> tokens = acs.stubEveryOperation(identity);

    AccessToken token =
        client.getToken(
            TokenRequest.of(user, Scope.VOIP).withLifetime(TokenLifetime.ofMinutes(90)));

    assertThat(token.value()).isEqualTo(tokens.get(1));
    assertThat(token.expiresAt()).isEqualTo(Instant.parse("2023-06-14T11:29:04.2902987Z"));
    assertThat(token.claims().identity()).contains(user);
    LoggedRequest request = onlyRequest();
    // the Java SDK sends the id raw, colons and all
    assertThat(request.getUrl())
        .isEqualTo(identityPath(identity) + "/:issueAccessToken?api-version=" + API_VERSION);
    assertThat(request.getBodyAsString())
        .isEqualTo("{\"scopes\":[\"voip\"],\"expiresInMinutes\":90}");
    assertSignedAndCorrelated(request);
  }

  @Test
  void getTokenAsync_defaultLifetime_sendsEveryScopeAndNoLifetime() throws Exception {
    acs.stubEveryOperation(identity);

    AccessToken token =
        client
            .getTokenAsync(TokenRequest.of(user, List.of(Scope.VOIP_JOIN, Scope.CHAT_JOIN_LIMITED)))
            .get();

    assertThat(token.expiresAt()).isEqualTo(Instant.parse("2023-06-14T11:29:04.2902987Z"));
    assertThat(onlyRequest().getBodyAsString())
        .isEqualTo("{\"scopes\":[\"chat.join.limited\",\"voip.join\"]}");
  }

  @Test
  void revokeTokens_204_postsEmptyBodyToTheRevokePath() {
    acs.stubEveryOperation(identity);

    client.revokeTokens(user);

    LoggedRequest request = onlyRequest();
    assertThat(request.getMethod().getName()).isEqualTo("POST");
    assertThat(request.getUrl())
        .isEqualTo(identityPath(identity) + "/:revokeAccessTokens?api-version=" + API_VERSION);
    assertThat(request.getBodyAsString()).isEmpty();
    assertThat(request.getHeader("x-ms-content-sha256"))
        .isEqualTo("47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
    assertSignedAndCorrelated(request);
  }

  @Test
  void deleteIdentity_204_sendsDelete() throws Exception {
    acs.stubEveryOperation(identity);

    CompletableFuture<Void> done = client.deleteIdentityAsync(user);

    assertThat(done.get()).isNull();
    LoggedRequest request = onlyRequest();
    assertThat(request.getMethod().getName()).isEqualTo("DELETE");
    assertThat(request.getUrl()).isEqualTo(identityPath(identity) + "?api-version=" + API_VERSION);
    assertSignedAndCorrelated(request);
  }

  @Test
  void exchangeTeamsToken_200_returnsTokenAndSendsTokenAppAndUser() {
    List<String> tokens = acs.stubEveryOperation(identity);
    String entra = "eyJ0eXAiOiJKV1QifQ.eyJvaWQiOiJ4In0.entra-signature";

    AccessToken token = client.exchangeTeamsToken(TeamsTokenRequest.of(entra, APP, TEAMS_USER));

    assertThat(token.value()).isEqualTo(tokens.get(2));
    LoggedRequest request = onlyRequest();
    assertThat(request.getUrl())
        .isEqualTo("/teamsUser/:exchangeAccessToken?api-version=" + API_VERSION);
    assertThat(request.getBodyAsString())
        .isEqualTo(
            "{\"token\":\""
                + entra
                + "\",\"appId\":\""
                + APP
                + "\",\"userId\":\""
                + TEAMS_USER
                + "\"}");
    assertSignedAndCorrelated(request);
  }

  // ---- errors

  @Test
  void getToken_400ValidationError_invalidRequestWithCodeMessageAndTarget() {
    String message =
        "ExpiresInMinutes value 1441 is invalid. Value must be within the [60, 1440] interval.";
    wireMock.stubFor(
        post(urlPathEqualTo(identityPath(identity) + "/:issueAccessToken"))
            .willReturn(error(400, "ValidationError", message, "ExpiresInMinutes")));

    InvalidRequestException e =
        catchThrowableOfType(
            InvalidRequestException.class,
            () -> client.getToken(TokenRequest.of(user, Scope.VOIP)));

    assertThat(e.statusCode()).isEqualTo(400);
    assertThat(e.errorCode()).contains("ValidationError");
    assertThat(e.target()).contains("ExpiresInMinutes");
    assertThat(e.getMessage()).contains("HTTP 400 ValidationError: " + message);
    assertThat(e.isRetryable()).isFalse();
    assertThat(e.getCause()).isNotNull();
    assertRequestIdMatchesTheWire(e);
    assertThat(wireMock.getAllServeEvents()).hasSize(1);
  }

  @Test
  void exchangeTeamsToken_400AppIdRequired_invalidRequestWithTarget() {
    wireMock.stubFor(
        post(urlPathEqualTo("/teamsUser/:exchangeAccessToken"))
            .willReturn(
                error(400, "ValidationError", "AppId: The AppId field is required.", "AppId")));

    InvalidRequestException e =
        catchThrowableOfType(
            InvalidRequestException.class,
            () -> client.exchangeTeamsToken(TeamsTokenRequest.of("e.y.j", APP, TEAMS_USER)));

    assertThat(e.target()).contains("AppId");
  }

  @Test
  void getToken_401IdentityNotOwned_unauthorizedAndFlagged() {
    wireMock.stubFor(
        post(urlPathEqualTo(identityPath(identity) + "/:issueAccessToken"))
            .willReturn(
                error(
                    401,
                    "IdentityNotOwned",
                    "Provided identity doesn't belong to the resource.",
                    null)));

    UnauthorizedException e =
        catchThrowableOfType(
            UnauthorizedException.class, () -> client.getToken(TokenRequest.of(user, Scope.CHAT)));

    assertThat(e.statusCode()).isEqualTo(401);
    assertThat(e.errorCode()).contains("IdentityNotOwned");
    assertThat(e.isIdentityNotOwned()).isTrue();
    assertThat(e.isRetryable()).isFalse();
    assertThat(e.getMessage())
        .isEqualTo(
            "issueToken failed: HTTP 401 IdentityNotOwned: Provided identity doesn't belong to the"
                + " resource.");
    assertRequestIdMatchesTheWire(e);
  }

  @Test
  void exchangeTeamsToken_401InvalidAccessToken_unauthorized() {
    wireMock.stubFor(
        post(urlPathEqualTo("/teamsUser/:exchangeAccessToken"))
            .willReturn(
                error(401, "InvalidAccessToken", "Provided access token is not valid.", null)));

    UnauthorizedException e =
        catchThrowableOfType(
            UnauthorizedException.class,
            () -> client.exchangeTeamsToken(TeamsTokenRequest.of("e.y.j", APP, TEAMS_USER)));

    assertThat(e.errorCode()).contains("InvalidAccessToken");
    assertThat(e.isIdentityNotOwned()).isFalse();
  }

  @Test
  void deleteIdentity_404_notFound() {
    wireMock.stubFor(
        delete(urlPathEqualTo(identityPath(identity)))
            .willReturn(error(404, "IdentityNotFound", "Identity not found.", null)));

    NotFoundException e =
        catchThrowableOfType(NotFoundException.class, () -> client.deleteIdentity(user));

    assertThat(e.statusCode()).isEqualTo(404);
    assertThat(e.errorCode()).contains("IdentityNotFound");
    assertThat(e.isRetryable()).isFalse();
    assertRequestIdMatchesTheWire(e);
  }

  @Test
  void getToken_429WithRetryAfter_throttledWithTheWait() {
    wireMock.stubFor(
        post(urlPathEqualTo(identityPath(identity) + "/:issueAccessToken"))
            .willReturn(
                error(429, "TooManyRequests", "Rate limit exceeded.", null)
                    .withHeader("Retry-After", "17")));
    // no SDK retries: it would honour the 17 s before giving up
    AcsIdentityClient noRetries =
        acs.clientBuilder()
            .retryOptions(new RetryOptions(new FixedDelayOptions(0, Duration.ofMillis(1))))
            .build();

    ThrottledException e =
        catchThrowableOfType(
            ThrottledException.class, () -> noRetries.getToken(TokenRequest.of(user, Scope.VOIP)));

    assertThat(e.statusCode()).isEqualTo(429);
    assertThat(e.errorCode()).contains("TooManyRequests");
    assertThat(e.retryAfter()).contains(Duration.ofSeconds(17));
    assertThat(e.isRetryable()).isTrue();
    assertRequestIdMatchesTheWire(e);
  }

  @Test
  void getToken_429WithRetryAfterBeyondTheTimeout_throttledNotTimeout() {
    // the SDK honours Retry-After before its retry; the per-call timeout runs out first
    wireMock.stubFor(
        post(urlPathEqualTo(identityPath(identity) + "/:issueAccessToken"))
            .willReturn(
                error(429, "TooManyRequests", "Rate limit exceeded.", null)
                    .withHeader("Retry-After", "600")));
    AcsIdentityClient impatient = acs.clientBuilder().timeout(Duration.ofSeconds(3)).build();

    ThrottledException e =
        catchThrowableOfType(
            ThrottledException.class, () -> impatient.getToken(TokenRequest.of(user, Scope.VOIP)));

    assertThat(e.retryAfter()).contains(Duration.ofSeconds(600));
    assertThat(e.statusCode()).isEqualTo(429);
    assertThat(e.isRetryable()).isTrue();
    assertThat(e.getMessage())
        .isEqualTo(
            "issueToken failed: HTTP 429, and the timeout of PT3S ran out before the SDK's next"
                + " try");
    assertThat(e.getCause()).isInstanceOf(java.util.concurrent.TimeoutException.class);
    assertThat(wireMock.getAllServeEvents()).hasSize(1);
    assertRequestIdMatchesTheWire(e);
  }

  @Test
  void revokeTokens_503ThenTimeoutWhileRetrying_serviceUnavailableNotTimeout() {
    wireMock.stubFor(
        post(urlPathEqualTo(identityPath(identity) + "/:revokeAccessTokens"))
            .willReturn(aResponse().withStatus(503).withHeader("Retry-After", "600")));
    AcsIdentityClient impatient = acs.clientBuilder().timeout(Duration.ofSeconds(3)).build();

    ServiceUnavailableException e =
        catchThrowableOfType(ServiceUnavailableException.class, () -> impatient.revokeTokens(user));

    assertThat(e.statusCode()).isEqualTo(503);
    assertThat(e.isRetryable()).isTrue();
  }

  @Test
  void getToken_429ThenSuccess_sdkRetriesWithTheSameRequestId() {
    String path = identityPath(identity) + "/:issueAccessToken";
    wireMock.stubFor(
        post(urlPathEqualTo(path))
            .inScenario("throttled once")
            .whenScenarioStateIs(STARTED)
            .willReturn(
                error(429, "TooManyRequests", "Rate limit exceeded.", null)
                    .withHeader("Retry-After", "0"))
            .willSetStateTo("recovered"));
    wireMock.stubFor(
        post(urlPathEqualTo(path))
            .inScenario("throttled once")
            .whenScenarioStateIs("recovered")
            .willReturn(json(200, "{\"token\":\"a.b.c\",\"expiresOn\":\"" + EXPIRES_ON + "\"}")));

    AccessToken token = client.getToken(TokenRequest.of(user, Scope.VOIP));

    assertThat(token.value()).isEqualTo("a.b.c");
    List<LoggedRequest> requests = wireMock.findAll(postRequestedFor(urlPathEqualTo(path)));
    assertThat(requests).hasSize(2);
    assertThat(requests.get(0).getHeader("x-ms-client-request-id"))
        .isEqualTo(requests.get(1).getHeader("x-ms-client-request-id"));
  }

  @Test
  void revokeTokens_503WithHtmlBody_serviceUnavailableAfterTheSdkRetries() {
    wireMock.stubFor(
        post(urlPathEqualTo(identityPath(identity) + "/:revokeAccessTokens"))
            .willReturn(
                aResponse()
                    .withStatus(503)
                    .withHeader("Content-Type", "text/html")
                    .withBody("<html><body><h1>503 Service Unavailable</h1></body></html>")));

    ServiceUnavailableException e =
        catchThrowableOfType(ServiceUnavailableException.class, () -> client.revokeTokens(user));

    assertThat(e.statusCode()).isEqualTo(503);
    assertThat(e.errorCode()).isEmpty();
    assertThat(e.isRetryable()).isTrue();
    assertThat(e.getMessage())
        .isEqualTo(
            "revokeTokens failed: HTTP 503: the answer carried no ACS error (text/html body)");
    // one try and the two retries of the test's retry options
    assertThat(wireMock.getAllServeEvents()).hasSize(3);
    assertRequestIdMatchesTheWire(e);
  }

  @Test
  void createIdentity_slowerThanTheTimeout_requestTimeout() {
    wireMock.stubFor(
        post(urlPathEqualTo("/identities"))
            .willReturn(
                json(201, "{\"identity\":{\"id\":\"" + identity + "\"}}").withFixedDelay(5_000)));
    AcsIdentityClient impatient = acs.clientBuilder().timeout(Duration.ofSeconds(1)).build();

    RequestTimeoutException e =
        catchThrowableOfType(RequestTimeoutException.class, impatient::createIdentity);

    assertThat(e.statusCode()).isEqualTo(AcsException.NO_STATUS);
    assertThat(e.isRetryable()).isTrue();
    assertThat(e.getMessage())
        .isEqualTo("createIdentity got no answer from " + acs.endpoint() + " within PT1S");
    assertThat(e.getCause()).isInstanceOf(java.util.concurrent.TimeoutException.class);
    // on a loaded machine the request may not have reached the server within the timeout
    assertRequestIdMatchesTheWireIfReceived(e);
  }

  @Test
  void getToken_connectionReset_transportErrorAfterTheSdkRetries() {
    wireMock.stubFor(
        post(urlPathEqualTo(identityPath(identity) + "/:issueAccessToken"))
            .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

    TransportException e =
        catchThrowableOfType(
            TransportException.class, () -> client.getToken(TokenRequest.of(user, Scope.VOIP)));

    assertThat(e.isRetryable()).isTrue();
    assertThat(e.statusCode()).isEqualTo(AcsException.NO_STATUS);
    assertThat(e.getMessage()).startsWith("issueToken could not reach " + acs.endpoint() + ": ");
    assertThat(e.getCause()).isNotNull();
    assertThat(wireMock.getAllServeEvents()).hasSize(3);
    assertRequestIdMatchesTheWire(e);
  }

  @Test
  void getTokenAsync_error_completesExceptionallyWithTheMappedException() {
    wireMock.stubFor(
        post(urlPathEqualTo(identityPath(identity) + "/:issueAccessToken"))
            .willReturn(error(404, "IdentityNotFound", "Identity not found.", null)));

    CompletableFuture<AccessToken> future = client.getTokenAsync(TokenRequest.of(user, Scope.VOIP));

    assertThatThrownBy(future::get)
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void getToken_untrustedCertificate_transportError() {
    // the JDK's default trust store does not know the stub's certificate
    AcsIdentityClient untrusting =
        AcsIdentityClient.builder()
            .connectionString(acs.connectionString())
            .retryOptions(new RetryOptions(new FixedDelayOptions(0, Duration.ofMillis(1))))
            .build();
    acs.stubEveryOperation(identity);

    assertThatThrownBy(() -> untrusting.getToken(TokenRequest.of(user, Scope.VOIP)))
        .isInstanceOf(TransportException.class);
    assertThat(wireMock.findAll(postRequestedFor(anyUrl()))).isEmpty();
  }

  // ---- helpers

  private static LoggedRequest onlyRequest() {
    List<LoggedRequest> all =
        wireMock.findAll(com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor(anyUrl()));
    assertThat(all).hasSize(1);
    return all.get(0);
  }

  private static void assertRequestIdMatchesTheWireIfReceived(AcsException e) {
    assertThat(e.requestId()).get().asString().matches(UUID_PATTERN + ".*");
    if (!wireMock
        .findAll(com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor(anyUrl()))
        .isEmpty()) {
      assertRequestIdMatchesTheWire(e);
    }
  }

  /** Asserts the exception's request id is the one the request carried. */
  private static void assertRequestIdMatchesTheWire(AcsException e) {
    assertThat(e.requestId()).isPresent();
    List<LoggedRequest> all =
        wireMock.findAll(com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor(anyUrl()));
    assertThat(all).isNotEmpty();
    String sent = all.get(0).getHeader("x-ms-client-request-id");
    assertThat(sent).matches(UUID_PATTERN);
    assertThat(e.requestId().get()).startsWith(sent);
  }

  /**
   * Asserts the request carried a client request id and an HMAC-SHA256 Authorization header whose
   * signature is right for the stub's key, over the path and query as received and the host without
   * its port (as the Java SDK 1.4.10 signs: it leaves the port out of the signed host).
   */
  private static void assertSignedAndCorrelated(LoggedRequest request) {
    assertSignedAndCorrelated(request, "localhost");
  }

  private static void assertSignedAndCorrelated(LoggedRequest request, String signedHost) {
    assertThat(request.getHeader("x-ms-client-request-id")).matches(UUID_PATTERN);
    String date = request.getHeader("x-ms-date");
    assertThat(date).matches("[A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT");
    String contentHash = request.getHeader("x-ms-content-sha256");
    assertThat(contentHash).isEqualTo(sha256(request.getBody()));
    String authorization = request.getHeader("Authorization");
    assertThat(authorization)
        .startsWith("HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=");
    String signature = authorization.substring(authorization.indexOf("&Signature=") + 11);
    String stringToSign =
        request.getMethod().getName()
            + "\n"
            + request.getUrl()
            + "\n"
            + date
            + ";"
            + signedHost
            + ";"
            + contentHash;
    assertThat(signature).isEqualTo(hmac(acs.accessKey(), stringToSign));
  }

  private static String sha256(byte[] body) {
    try {
      return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(body));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String hmac(String base64Key, String text) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(Base64.getDecoder().decode(base64Key), "HmacSHA256"));
      return Base64.getEncoder().encodeToString(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
