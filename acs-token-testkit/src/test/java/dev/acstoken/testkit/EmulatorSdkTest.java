package dev.acstoken.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.communication.common.CommunicationTokenCredential;
import com.azure.communication.common.CommunicationUserIdentifier;
import com.azure.communication.identity.CommunicationIdentityAsyncClient;
import com.azure.communication.identity.CommunicationIdentityClient;
import com.azure.communication.identity.models.CommunicationTokenScope;
import com.azure.communication.identity.models.CommunicationUserIdentifierAndToken;
import com.azure.communication.identity.models.GetTokenForTeamsUserOptions;
import com.azure.core.credential.AccessToken;
import com.azure.core.exception.HttpResponseException;
import com.azure.core.http.policy.FixedDelayOptions;
import com.azure.core.http.policy.RetryOptions;
import dev.acstoken.core.IdentityId;
import dev.acstoken.core.Scope;
import dev.acstoken.core.TeamsTokenRequest;
import dev.acstoken.core.TokenLifetime;
import dev.acstoken.core.TokenRequest;
import dev.acstoken.core.azure.AcsIdentityClient;
import dev.acstoken.core.error.AcsException;
import dev.acstoken.core.error.InvalidRequestException;
import dev.acstoken.core.error.NotFoundException;
import dev.acstoken.core.error.ServiceUnavailableException;
import dev.acstoken.core.error.ThrottledException;
import dev.acstoken.core.error.TransportException;
import dev.acstoken.core.error.UnauthorizedException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The real Java SDK and core's client against the emulator, operation by operation. */
class EmulatorSdkTest {

  private static final MutableClock CLOCK = MutableClock.systemStart();

  @RegisterExtension
  static final AcsEmulatorExtension ACS =
      AcsEmulatorExtension.using(AcsEmulator.builder().clock(CLOCK));

  private static AcsEmulator emulator() {
    return ACS.emulator();
  }

  private static CommunicationIdentityClient sdk() {
    return emulator().identityClientBuilder().buildClient();
  }

  private static AcsIdentityClient core() {
    return emulator().acsIdentityClientBuilder().build();
  }

  // ---- the Java SDK, every operation

  @Test
  void sdk_createUser_returnsAcsIdOfTheResource() {
    CommunicationUserIdentifier user = sdk().createUser();

    assertThat(user.getId()).startsWith("8:acs:" + emulator().resourceId() + "_");
    assertThat(emulator().identities()).containsExactly(IdentityId.of(user.getId()));
  }

  @Test
  void sdk_getToken_defaultLifetimeOneDay_andCredentialParsesIt() throws Exception {
    CommunicationIdentityClient client = sdk();
    CommunicationUserIdentifier user = client.createUser();

    AccessToken token =
        client.getToken(user, List.of(CommunicationTokenScope.CHAT, CommunicationTokenScope.VOIP));

    Instant expected = AcsEngine.ticks(CLOCK.instant()).plus(Duration.ofHours(24));
    assertThat(token.getExpiresAt().toInstant()).isEqualTo(expected);
    assertThat(emulator().isValid(token.getToken())).isTrue();
    try (CommunicationTokenCredential credential =
        new CommunicationTokenCredential(token.getToken())) {
      AccessToken parsed = credential.getToken().block(Duration.ofSeconds(10));
      assertThat(parsed.getExpiresAt().toEpochSecond()).isEqualTo(expected.getEpochSecond());
    }
  }

  @Test
  void sdk_getTokenWithLifetime_expiresThen() {
    CommunicationIdentityClient client = sdk();
    CommunicationUserIdentifier user = client.createUser();

    AccessToken token =
        client.getToken(user, List.of(CommunicationTokenScope.VOIP), Duration.ofMinutes(60));

    assertThat(token.getExpiresAt().toInstant())
        .isEqualTo(AcsEngine.ticks(CLOCK.instant()).plus(Duration.ofMinutes(60)));
  }

  @Test
  void sdk_lifetimeOutOfRange_isServiceValidationErrorWithExactMessage() {
    CommunicationIdentityClient client = sdk();
    CommunicationUserIdentifier user = client.createUser();

    assertThatThrownBy(
            () ->
                client.getToken(
                    user, List.of(CommunicationTokenScope.CHAT), Duration.ofMinutes(1441)))
        .isInstanceOfSatisfying(
            HttpResponseException.class,
            e -> {
              assertThat(e.getResponse().getStatusCode()).isEqualTo(400);
              assertThat(e.getMessage())
                  .contains(
                      "ExpiresInMinutes value 1441 is invalid. Value must be within the [60, 1440] interval.");
            });
  }

  @Test
  void sdk_createUserAndToken_returnsBoth() {
    CommunicationUserIdentifierAndToken r =
        sdk().createUserAndToken(List.of(CommunicationTokenScope.VOIP), Duration.ofMinutes(90));

    assertThat(r.getUserToken().getExpiresAt().toInstant())
        .isEqualTo(AcsEngine.ticks(CLOCK.instant()).plus(Duration.ofMinutes(90)));
    assertThat(emulator().issuedTokenCount(IdentityId.of(r.getUser().getId()))).isEqualTo(1);
  }

  @Test
  void sdk_revokeTokens_invalidatesEarlierTokens() {
    CommunicationIdentityClient client = sdk();
    CommunicationUserIdentifier user = client.createUser();
    AccessToken token = client.getToken(user, List.of(CommunicationTokenScope.CHAT));

    client.revokeTokens(user);

    assertThat(emulator().isValid(token.getToken())).isFalse();
    assertThat(emulator().revocationCount(IdentityId.of(user.getId()))).isEqualTo(1);
  }

  @Test
  void sdk_deleteUser_thenGetToken_is404() {
    CommunicationIdentityClient client = sdk();
    CommunicationUserIdentifier user = client.createUser();
    AccessToken token = client.getToken(user, List.of(CommunicationTokenScope.CHAT));

    client.deleteUser(user);

    assertThat(emulator().isValid(token.getToken())).isFalse();
    assertThatThrownBy(() -> client.getToken(user, List.of(CommunicationTokenScope.CHAT)))
        .isInstanceOfSatisfying(
            HttpResponseException.class,
            e -> assertThat(e.getResponse().getStatusCode()).isEqualTo(404));
  }

  @Test
  void sdk_getTokenForTeamsUser_expiresWithTheEntraToken() {
    String app = UUID.randomUUID().toString();
    String user = UUID.randomUUID().toString();
    Instant entraExpiry = CLOCK.instant().plus(Duration.ofMinutes(80));

    AccessToken token =
        sdk()
            .getTokenForTeamsUser(
                new GetTokenForTeamsUserOptions(
                    FakeEntraToken.create(app, user, entraExpiry), app, user));

    assertThat(token.getExpiresAt().toEpochSecond()).isEqualTo(entraExpiry.getEpochSecond());
    assertThat(emulator().isValid(token.getToken())).isTrue();
  }

  @Test
  void sdk_identityOfAnotherResource_is401IdentityNotOwned() {
    CommunicationUserIdentifier foreign =
        new CommunicationUserIdentifier("8:acs:" + UUID.randomUUID() + "_" + UUID.randomUUID());

    assertThatThrownBy(() -> sdk().revokeTokens(foreign))
        .isInstanceOfSatisfying(
            HttpResponseException.class,
            e -> {
              assertThat(e.getResponse().getStatusCode()).isEqualTo(401);
              assertThat(e.getMessage()).contains("IdentityNotOwned");
            });
  }

  @Test
  void asyncSdk_everyOperation_works() {
    CommunicationIdentityAsyncClient client = emulator().identityClientBuilder().buildAsyncClient();
    Duration wait = Duration.ofSeconds(30);

    CommunicationUserIdentifier user = client.createUser().block(wait);
    AccessToken token = client.getToken(user, List.of(CommunicationTokenScope.CHAT)).block(wait);
    client.revokeTokens(user).block(wait);
    client.deleteUser(user).block(wait);

    assertThat(emulator().isValid(token.getToken())).isFalse();
    assertThatThrownBy(
            () -> client.getToken(user, List.of(CommunicationTokenScope.CHAT)).block(wait))
        .isInstanceOfSatisfying(
            HttpResponseException.class,
            e -> assertThat(e.getResponse().getStatusCode()).isEqualTo(404));
  }

  @Test
  void wrongAccessKey_is401WithAcsErrorBody() {
    CommunicationIdentityClient client =
        emulator()
            .identityClientBuilder()
            .connectionString(
                "endpoint="
                    + emulator().endpoint()
                    + ";accesskey="
                    + "d3Jvbmcga2V5IGZvciB0ZXN0cw==")
            .buildClient();

    assertThatThrownBy(client::createUser)
        .isInstanceOfSatisfying(
            HttpResponseException.class,
            e -> {
              assertThat(e.getResponse().getStatusCode()).isEqualTo(401);
              assertThat(e.getMessage()).contains("Denied by the resource provider.");
            });
  }

  // ---- core's client: the library's exceptions

  @Test
  void core_everyOperation_andStateAfterwards() {
    AcsIdentityClient client = core();
    IdentityId id = client.createIdentity();
    dev.acstoken.core.AccessToken token =
        client.getToken(TokenRequest.of(id, Scope.CHAT).withLifetime(TokenLifetime.ofMinutes(60)));
    var both = client.createIdentityWithToken(EnumSet.of(Scope.VOIP), null);

    assertThat(token.claims().identity()).contains(id);
    assertThat(both.token().claims().scopes()).containsExactly(Scope.VOIP);

    client.revokeTokens(id);
    assertThat(emulator().isValid(token.value())).isFalse();
    client.deleteIdentity(both.identity());
    assertThat(emulator().isValid(both.token().value())).isFalse();
    assertThat(emulator().identities()).containsExactly(id);
  }

  @Test
  void core_tokenExpires_whenTheClockPassesItsLifetime() {
    AcsIdentityClient client = core();
    IdentityId id = client.createIdentity();
    dev.acstoken.core.AccessToken token =
        client.getToken(TokenRequest.of(id, Scope.CHAT).withLifetime(TokenLifetime.ofMinutes(60)));

    assertThat(emulator().isValid(token.value())).isTrue();
    CLOCK.advance(Duration.ofMinutes(61));
    assertThat(emulator().isValid(token.value())).isFalse();
  }

  @Test
  void core_joinScopeOnJavaSdkApiVersion_isValidationError() {
    AcsIdentityClient client = core();
    IdentityId id = client.createIdentity();

    assertThatThrownBy(() -> client.getToken(TokenRequest.of(id, Scope.CHAT_JOIN)))
        .isInstanceOfSatisfying(
            InvalidRequestException.class,
            e -> {
              assertThat(e.errorCode()).contains("ValidationError");
              assertThat(e.target()).contains("Scopes");
            });
  }

  @Test
  void core_foreignIdentity_isUnauthorizedIdentityNotOwned() {
    IdentityId foreign = IdentityId.of("8:acs:" + UUID.randomUUID() + "_" + UUID.randomUUID());

    assertThatThrownBy(() -> core().getToken(TokenRequest.of(foreign, Scope.CHAT)))
        .isInstanceOfSatisfying(
            UnauthorizedException.class, e -> assertThat(e.isIdentityNotOwned()).isTrue());
  }

  @Test
  void core_deletedIdentity_isNotFound() {
    AcsIdentityClient client = core();
    IdentityId id = client.createIdentity();
    client.deleteIdentity(id);

    assertThatThrownBy(() -> client.getToken(TokenRequest.of(id, Scope.CHAT)))
        .isInstanceOfSatisfying(
            NotFoundException.class, e -> assertThat(e.errorCode()).contains("IdentityNotFound"));
    assertThatThrownBy(() -> client.revokeTokens(id)).isInstanceOf(NotFoundException.class);
    client.deleteIdentity(id); // idempotent
  }

  @Test
  void core_teamsExchangeErrors_mapToTheLibraryExceptions() {
    AcsIdentityClient client = core();
    String app = UUID.randomUUID().toString();
    String user = UUID.randomUUID().toString();
    String valid = FakeEntraToken.create(app, user, CLOCK.instant().plusSeconds(3600));

    assertThatThrownBy(() -> client.exchangeTeamsToken(TeamsTokenRequest.of("garbage", app, user)))
        .isInstanceOfSatisfying(
            UnauthorizedException.class,
            e -> assertThat(e.errorCode()).contains("InvalidAccessToken"));
    assertThatThrownBy(
            () ->
                client.exchangeTeamsToken(
                    TeamsTokenRequest.of(valid, UUID.randomUUID().toString(), user)))
        .isInstanceOfSatisfying(
            InvalidRequestException.class,
            e -> assertThat(e.getMessage()).contains("AAD application is not the expected one."));
    assertThat(client.exchangeTeamsToken(TeamsTokenRequest.of(valid, app, user)).value())
        .isNotBlank();
  }

  // ---- faults through the SDK's retries

  @Test
  void fault_throttledMoreOftenThanRetries_isThrottledWithRetryAfter() {
    AcsIdentityClient client =
        emulator()
            .acsIdentityClientBuilder()
            .retryOptions(new RetryOptions(new FixedDelayOptions(0, Duration.ZERO)))
            .build();
    IdentityId id = client.createIdentity();
    emulator().inject(Fault.throttled(Duration.ofSeconds(7)).on(Operation.ISSUE_TOKEN));

    assertThatThrownBy(() -> client.getToken(TokenRequest.of(id, Scope.CHAT)))
        .isInstanceOfSatisfying(
            ThrottledException.class,
            e -> {
              assertThat(e.retryAfter()).contains(Duration.ofSeconds(7));
              assertThat(e.errorCode()).contains("TooManyRequests");
            });
    assertThat(client.getToken(TokenRequest.of(id, Scope.CHAT))).isNotNull();
  }

  @Test
  void fault_503Twice_isRetriedAwayBySdk() {
    AcsIdentityClient client = core();
    IdentityId id = client.createIdentity();
    emulator()
        .inject(
            Fault.status(503, "ServiceUnavailable", "Try later.")
                .on(Operation.ISSUE_TOKEN)
                .times(2));

    assertThat(client.getToken(TokenRequest.of(id, Scope.CHAT))).isNotNull();
    assertThat(
            emulator().requests().stream()
                .filter(r -> r.operation().orElse(null) == Operation.ISSUE_TOKEN)
                .map(RecordedRequest::status))
        .containsExactly(503, 503, 200);
  }

  @Test
  void fault_htmlOutage_isServiceUnavailable() {
    AcsIdentityClient client = core();
    emulator().inject(Fault.htmlOutage().on(Operation.CREATE_IDENTITY).always());

    assertThatThrownBy(client::createIdentity)
        .isInstanceOfSatisfying(
            ServiceUnavailableException.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(503);
              assertThat(e.isRetryable()).isTrue();
            });
    emulator().clearFaults();
    assertThat(client.createIdentity()).isNotNull();
  }

  @Test
  void fault_connectionReset_isTransportException() {
    AcsIdentityClient client = core();
    emulator().inject(Fault.connectionReset().on(Operation.CREATE_IDENTITY).always());

    assertThatThrownBy(client::createIdentity).isInstanceOf(TransportException.class);
  }

  @Test
  void fault_malformedResponse_failsTheCall() {
    AcsIdentityClient client = core();
    emulator().inject(Fault.malformedResponse().on(Operation.CREATE_IDENTITY).always());

    assertThatThrownBy(client::createIdentity).isInstanceOf(AcsException.class);
  }

  @Test
  void fault_perIdentity_hitsOnlyThatIdentity() {
    AcsIdentityClient client =
        emulator()
            .acsIdentityClientBuilder()
            .retryOptions(new RetryOptions(new FixedDelayOptions(0, Duration.ZERO)))
            .build();
    IdentityId a = client.createIdentity();
    IdentityId b = client.createIdentity();
    emulator()
        .inject(
            Fault.status(500, "InternalError", "boom")
                .on(Operation.ISSUE_TOKEN)
                .forIdentity(a)
                .always());

    assertThat(client.getToken(TokenRequest.of(b, Scope.CHAT))).isNotNull();
    assertThatThrownBy(() -> client.getToken(TokenRequest.of(a, Scope.CHAT)))
        .isInstanceOf(ServiceUnavailableException.class);
  }

  @Test
  void fault_latency_delaysButAnswers() {
    AcsIdentityClient client = core();
    emulator().inject(Fault.latency(Duration.ofMillis(50)).on(Operation.CREATE_IDENTITY));

    assertThat(client.createIdentity()).isNotNull();
    assertThat(emulator().requests().get(0).fault())
        .hasValueSatisfying(f -> assertThat(f).contains("LATENCY"));
  }

  // ---- headers and journal

  @Test
  void journal_recordsClientRequestIdAndApiVersion() {
    sdk().createUser();

    RecordedRequest r = emulator().requests().get(0);
    assertThat(r.operation()).contains(Operation.CREATE_IDENTITY);
    assertThat(r.apiVersion()).contains("2022-10-01");
    assertThat(r.clientRequestId()).isPresent();
    assertThat(r.status()).isEqualTo(201);
    assertThat(emulator().callCount(Operation.CREATE_IDENTITY)).isEqualTo(1);
  }

  @Test
  void expiresOn_hasSevenFractionalDigitsAndOffset() {
    CLOCK.set(Instant.parse("2026-06-14T11:29:04.2902987Z").minus(Duration.ofHours(24)));
    RawClient raw = new RawClient(emulator());
    var r =
        raw.send(
            "POST", "/identities?api-version=2022-10-01", "{\"createTokenWithScopes\":[\"chat\"]}");

    assertThat(r.statusCode()).isEqualTo(201);
    assertThat(r.body()).contains("\"expiresOn\":\"2026-06-14T11:29:04.2902987+00:00\"");
    OffsetDateTime.parse("2026-06-14T11:29:04.2902987+00:00");
    CLOCK.set(Instant.now());
  }
}
