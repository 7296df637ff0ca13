package dev.acstoken.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.acstoken.core.AccessToken;
import dev.acstoken.core.IdentityId;
import dev.acstoken.core.IdentityWithToken;
import dev.acstoken.core.Scope;
import dev.acstoken.core.TeamsTokenRequest;
import dev.acstoken.core.TokenClaims;
import dev.acstoken.core.TokenLifetime;
import dev.acstoken.core.TokenRequest;
import dev.acstoken.core.error.AcsException;
import dev.acstoken.core.error.InvalidRequestException;
import dev.acstoken.core.error.NotFoundException;
import dev.acstoken.core.error.ServiceUnavailableException;
import dev.acstoken.core.error.ThrottledException;
import dev.acstoken.core.error.UnauthorizedException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class FakeAcsTest {

  private static final Instant START = Instant.parse("2026-03-01T10:00:00.1234567Z");
  private static final String RESOURCE = "2dee53b4-368b-45b4-ab52-8493fb117652";

  private final MutableClock clock = MutableClock.at(START);
  private final FakeAcs acs = FakeAcs.builder().clock(clock).resourceId(RESOURCE).build();

  @Test
  void createIdentity_returnsAcsUserOfTheResource() {
    IdentityId id = acs.createIdentity();

    assertThat(id.value()).startsWith("8:acs:" + RESOURCE + "_");
    assertThat(id.resourceId()).contains(RESOURCE);
    assertThat(acs.identities()).containsExactly(id);
  }

  @Test
  void getToken_defaultLifetime_expiresInOneDayWithServiceClaims() {
    IdentityId id = acs.createIdentity();

    AccessToken token = acs.getToken(TokenRequest.of(id, Scope.CHAT, Scope.VOIP));

    assertThat(token.expiresAt()).isEqualTo(START.plus(Duration.ofHours(24)));
    TokenClaims claims = token.claims();
    assertThat(claims.identity()).contains(id);
    assertThat(claims.scopeNames()).containsExactly("chat", "voip");
    assertThat(claims.resourceId()).contains(RESOURCE);
    assertThat(claims.issuedAt()).contains(Instant.ofEpochSecond(START.getEpochSecond()));
    assertThat(acs.issuedTokenCount(id)).isEqualTo(1);
    assertThat(acs.isValid(token)).isTrue();
  }

  @Test
  void getToken_payload_isCompactJsonWithTheServiceClaimsAndPlainBase64() {
    IdentityId id = acs.createIdentity();
    String token = acs.getToken(TokenRequest.of(id, Scope.VOIP)).value();

    String[] parts = token.split("\\.");
    String header = new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8);
    String payload = new String(Base64.getDecoder().decode(parts[1]), StandardCharsets.UTF_8);

    assertThat(header).startsWith("{\"alg\":\"RS256\",\"kid\":\"").contains("\"x5t\":\"");
    long iat = START.getEpochSecond();
    assertThat(payload)
        .matches(
            "\\{\"skypeid\":\""
                + id.value().substring(2)
                + "\",\"scp\":1792,\"csi\":\""
                + iat
                + "\",\"exp\":"
                + (iat + 86400)
                + ",\"acsScope\":\"voip\",\"resourceId\":\""
                + RESOURCE
                + "\",\"resourceLocation\":\"unitedstates\",\"iat\":"
                + iat
                + ",\"jti\":\"[0-9a-f]{32}\"}");
  }

  @Test
  void getToken_sameIdentityScopesAndInstant_tokensDiffer() {
    IdentityId id = acs.createIdentity();

    String first = acs.getToken(TokenRequest.of(id, Scope.VOIP)).value();
    acs.revokeTokens(id);
    String second = acs.getToken(TokenRequest.of(id, Scope.VOIP)).value();

    assertThat(second).isNotEqualTo(first);
    assertThat(acs.isValid(first)).isFalse();
  }

  @Test
  void getToken_manyTokens_payloadNeverHasUrlSafeOnlyCharacters() {
    List<String> payloads = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      IdentityId id = acs.createIdentity();
      clock.advance(Duration.ofSeconds(7));
      payloads.add(
          acs.getToken(
                  TokenRequest.of(id, Scope.CHAT, Scope.VOIP)
                      .withLifetime(TokenLifetime.ofMinutes(60 + i)))
              .value()
              .split("\\.")[1]);
    }

    assertThat(payloads).allSatisfy(p -> assertThat(p).doesNotContain("-", "_"));
  }

  @Test
  void getToken_lifetime_isHonoured() {
    IdentityId id = acs.createIdentity();

    AccessToken token =
        acs.getToken(TokenRequest.of(id, Scope.CHAT).withLifetime(TokenLifetime.ofMinutes(60)));

    assertThat(token.expiresAt()).isEqualTo(START.plus(Duration.ofMinutes(60)));
  }

  @Test
  void getToken_joinScopeOnJavaSdkApiVersion_isValidationError() {
    IdentityId id = acs.createIdentity();

    assertThatThrownBy(() -> acs.getToken(TokenRequest.of(id, Scope.CHAT_JOIN)))
        .isInstanceOfSatisfying(
            InvalidRequestException.class,
            e -> {
              assertThat(e.errorCode()).contains("ValidationError");
              assertThat(e.target()).contains("Scopes");
            });
  }

  @Test
  void getToken_joinScopeOn2023Version_isIssued() {
    FakeAcs latest = FakeAcs.builder().apiVersion("2023-10-01").build();
    IdentityId id = latest.createIdentity();

    AccessToken token = latest.getToken(TokenRequest.of(id, Scope.CHAT_JOIN, Scope.VOIP_JOIN));

    assertThat(token.claims().scopes()).containsExactlyInAnyOrder(Scope.CHAT_JOIN, Scope.VOIP_JOIN);
  }

  @Test
  void getToken_identityOfAnotherResource_isIdentityNotOwned() {
    IdentityId foreign = IdentityId.of("8:acs:" + UUID.randomUUID() + "_" + UUID.randomUUID());

    assertThatThrownBy(() -> acs.getToken(TokenRequest.of(foreign, Scope.CHAT)))
        .isInstanceOfSatisfying(
            UnauthorizedException.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(401);
              assertThat(e.isIdentityNotOwned()).isTrue();
              assertThat(e.getMessage())
                  .contains("Provided identity doesn't belong to the resource.");
            });
  }

  @Test
  void getToken_deletedIdentity_isNotFound() {
    IdentityId id = acs.createIdentity();
    acs.deleteIdentity(id);

    assertThatThrownBy(() -> acs.getToken(TokenRequest.of(id, Scope.CHAT)))
        .isInstanceOfSatisfying(
            NotFoundException.class, e -> assertThat(e.errorCode()).contains("IdentityNotFound"));
    assertThat(acs.identities()).isEmpty();
    assertThat(acs.deletedIdentities()).containsExactly(id);
  }

  @Test
  void getToken_neverCreatedIdentityOfTheResource_isNotFound() {
    IdentityId unknown = IdentityId.of("8:acs:" + RESOURCE + "_" + UUID.randomUUID());

    assertThatThrownBy(() -> acs.getToken(TokenRequest.of(unknown, Scope.CHAT)))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void revokeTokens_invalidatesEarlierTokensOnly() {
    IdentityId id = acs.createIdentity();
    AccessToken before = acs.getToken(TokenRequest.of(id, Scope.CHAT));

    acs.revokeTokens(id);
    clock.advance(Duration.ofSeconds(1));
    AccessToken after = acs.getToken(TokenRequest.of(id, Scope.CHAT));

    assertThat(acs.isValid(before)).isFalse();
    assertThat(acs.isValid(after)).isTrue();
    assertThat(acs.revocationCount(id)).isEqualTo(1);
  }

  @Test
  void deleteIdentity_invalidatesItsTokens_andIsIdempotent() {
    IdentityId id = acs.createIdentity();
    AccessToken token = acs.getToken(TokenRequest.of(id, Scope.CHAT));

    acs.deleteIdentity(id);
    acs.deleteIdentity(id);

    assertThat(acs.isValid(token)).isFalse();
    assertThatThrownBy(() -> acs.revokeTokens(id)).isInstanceOf(NotFoundException.class);
  }

  @Test
  void isValid_afterExpiry_isFalse() {
    IdentityId id = acs.createIdentity();
    AccessToken token =
        acs.getToken(TokenRequest.of(id, Scope.CHAT).withLifetime(TokenLifetime.ofMinutes(60)));

    clock.advance(Duration.ofMinutes(59));
    assertThat(acs.isValid(token)).isTrue();
    clock.advance(Duration.ofMinutes(1));
    assertThat(acs.isValid(token)).isFalse();
  }

  @Test
  void isValid_foreignOrGarbageToken_isFalse() {
    FakeAcs other = FakeAcs.create();
    String foreign = other.getToken(TokenRequest.of(other.createIdentity(), Scope.CHAT)).value();

    assertThat(acs.isValid(foreign)).isFalse();
    assertThat(acs.isValid("a.b.c")).isFalse();
    assertThat(acs.isValid((String) null)).isFalse();
  }

  @Test
  void createIdentityWithToken_returnsBoth_andCountsTheToken() {
    IdentityWithToken r =
        acs.createIdentityWithToken(EnumSet.of(Scope.VOIP), TokenLifetime.ofMinutes(120));

    assertThat(r.token().claims().identity()).contains(r.identity());
    assertThat(r.token().expiresAt()).isEqualTo(START.plus(Duration.ofMinutes(120)));
    assertThat(acs.issuedTokenCount(r.identity())).isEqualTo(1);
    assertThat(acs.tokens(r.identity())).hasSize(1);
  }

  @Test
  void createIdentityWithToken_noScopes_isIllegalArgumentLikeCore() {
    assertThatThrownBy(() -> acs.createIdentityWithToken(EnumSet.noneOf(Scope.class), null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(acs.callCount()).isZero();
  }

  @Test
  void asyncMethods_completeWithResultsAndFailWithAcsExceptions() {
    IdentityId id = acs.createIdentityAsync().join();
    AccessToken token = acs.getTokenAsync(TokenRequest.of(id, Scope.CHAT)).join();
    acs.revokeTokensAsync(id).join();
    acs.deleteIdentityAsync(id).join();

    assertThat(acs.isValid(token)).isFalse();
    assertThatThrownBy(() -> acs.getTokenAsync(TokenRequest.of(id, Scope.CHAT)).join())
        .isInstanceOf(CompletionException.class)
        .hasCauseInstanceOf(NotFoundException.class);
  }

  @Test
  void failNext_failsExactlyThatManyCallsOfTheOperation() {
    IdentityId id = acs.createIdentity();
    AcsException down = new ServiceUnavailableException("down", 503, null, null, null);
    acs.failNext(Operation.ISSUE_TOKEN, 2, down);

    assertThatThrownBy(() -> acs.getToken(TokenRequest.of(id, Scope.CHAT))).isSameAs(down);
    acs.createIdentity(); // another operation is not affected
    assertThatThrownBy(() -> acs.getToken(TokenRequest.of(id, Scope.CHAT))).isSameAs(down);
    assertThat(acs.getToken(TokenRequest.of(id, Scope.CHAT))).isNotNull();
    assertThat(acs.callCount(Operation.ISSUE_TOKEN)).isEqualTo(3);
    assertThat(acs.callCount()).isEqualTo(5);
  }

  @Test
  void failNext_perIdentity_leavesOtherIdentitiesAlone() {
    IdentityId a = acs.createIdentity();
    IdentityId b = acs.createIdentity();
    acs.failNext(
        Operation.ISSUE_TOKEN, a, 1, new ThrottledException("slow down", null, null, null, null));

    assertThat(acs.getToken(TokenRequest.of(b, Scope.CHAT))).isNotNull();
    assertThatThrownBy(() -> acs.getToken(TokenRequest.of(a, Scope.CHAT)))
        .isInstanceOf(ThrottledException.class);
  }

  @Test
  void failWithProbability_isRepeatableWithASeed() {
    IdentityId id = acs.createIdentity();
    acs.failWithProbability(
        Operation.ISSUE_TOKEN,
        0.5,
        42,
        new ServiceUnavailableException("x", 503, null, null, null));
    int failures = 0;
    for (int i = 0; i < 100; i++) {
      try {
        acs.getToken(TokenRequest.of(id, Scope.CHAT));
      } catch (ServiceUnavailableException e) {
        failures++;
      }
    }

    assertThat(failures).isBetween(30, 70);
    acs.clearFailures();
    assertThat(acs.getToken(TokenRequest.of(id, Scope.CHAT))).isNotNull();
  }

  @Test
  void beforeEachCall_canHoldBackendCallsOnALatch() throws Exception {
    IdentityId id = acs.createIdentity();
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    acs.beforeEachCall(
        op -> {
          entered.countDown();
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<AccessToken> f = pool.submit(() -> acs.getToken(TokenRequest.of(id, Scope.CHAT)));
      assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(f.isDone()).isFalse();
      release.countDown();
      assertThat(f.get(10, TimeUnit.SECONDS)).isNotNull();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void serviceLimits_thousandAndFirstIssueIn30Seconds_isThrottled() {
    FakeAcs limited = FakeAcs.builder().clock(clock).serviceLimits(true).build();
    IdentityId id = limited.createIdentity();
    for (int i = 0; i < 1000; i++) {
      limited.getToken(TokenRequest.of(id, Scope.CHAT));
    }

    assertThatThrownBy(() -> limited.getToken(TokenRequest.of(id, Scope.CHAT)))
        .isInstanceOfSatisfying(
            ThrottledException.class, e -> assertThat(e.retryAfter()).isPresent());
    clock.advance(Duration.ofSeconds(31));
    assertThat(limited.getToken(TokenRequest.of(id, Scope.CHAT))).isNotNull();
  }

  @Test
  void exchangeTeamsToken_validEntraToken_expiresWithIt() {
    String app = UUID.randomUUID().toString();
    String user = UUID.randomUUID().toString();
    Instant entraExpiry = START.plus(Duration.ofMinutes(75));

    AccessToken token =
        acs.exchangeTeamsToken(
            TeamsTokenRequest.of(FakeEntraToken.create(app, user, entraExpiry), app, user));

    assertThat(token.expiresAt()).isEqualTo(Instant.ofEpochSecond(entraExpiry.getEpochSecond()));
    assertThat(token.claims().identity()).contains(IdentityId.of("8:orgid:" + user));
    assertThat(acs.isValid(token)).isTrue();
  }

  @Test
  void exchangeTeamsToken_errors_inTheServiceOrder() {
    String app = UUID.randomUUID().toString();
    String user = UUID.randomUUID().toString();
    String expired = FakeEntraToken.create(app, user, START.minusSeconds(1));
    String valid = FakeEntraToken.create(app, user, START.plusSeconds(3600));
    String otherApp = UUID.randomUUID().toString();

    assertThatThrownBy(() -> acs.exchangeTeamsToken(TeamsTokenRequest.of(expired, app, user)))
        .isInstanceOfSatisfying(
            UnauthorizedException.class,
            e ->
                assertThat(e.getMessage())
                    .contains("InvalidAccessToken", "Provided access token is not valid."));
    assertThatThrownBy(() -> acs.exchangeTeamsToken(TeamsTokenRequest.of(valid, otherApp, user)))
        .isInstanceOfSatisfying(
            InvalidRequestException.class,
            e -> assertThat(e.getMessage()).contains("AAD application is not the expected one."));
    assertThatThrownBy(
            () ->
                acs.exchangeTeamsToken(
                    TeamsTokenRequest.of(valid, app, UUID.randomUUID().toString())))
        .isInstanceOfSatisfying(
            InvalidRequestException.class,
            e ->
                assertThat(e.getMessage())
                    .contains("Provided AAD token issued for unexpected user."));
  }

  @Test
  void reset_forgetsEverything() {
    IdentityId id = acs.createIdentity();
    acs.failNext(1, new ServiceUnavailableException("x", 503, null, null, null));
    acs.reset();

    assertThat(acs.identities()).isEmpty();
    assertThat(acs.callCount()).isZero();
    assertThat(acs.issuedTokenCount(id)).isZero();
    assertThat(acs.createIdentity()).isNotNull();
  }

  @Test
  void concurrentIssueAndRevoke_neverLeaveAPreRevocationTokenValid() throws Exception {
    IdentityId id = acs.createIdentity();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    AtomicInteger issued = new AtomicInteger();
    try {
      List<Future<AccessToken>> tokens = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        int n = i;
        tokens.add(
            pool.submit(
                () -> {
                  issued.incrementAndGet();
                  return acs.getToken(
                      TokenRequest.of(id, Scope.CHAT)
                          .withLifetime(TokenLifetime.ofMinutes(60 + n)));
                }));
      }
      for (Future<AccessToken> f : tokens) {
        f.get(30, TimeUnit.SECONDS);
      }
      acs.revokeTokens(id);
      for (Future<AccessToken> f : tokens) {
        assertThat(acs.isValid(f.get())).isFalse();
      }
      assertThat(acs.issuedTokenCount(id)).isEqualTo(issued.get());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void afterEachCall_holdsTheAnswerAfterTheTokenWasIssued() throws Exception {
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newSingleThreadExecutor();
    FakeAcs acs =
        FakeAcs.builder()
            .clock(MutableClock.at(java.time.Instant.parse("2030-01-01T00:00:00Z")))
            .executor(pool)
            .build();
    dev.acstoken.core.IdentityId id = acs.createIdentity();
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch issued = new java.util.concurrent.CountDownLatch(1);
    acs.afterEachCall(
        op -> {
          issued.countDown();
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    java.util.concurrent.CompletableFuture<dev.acstoken.core.AccessToken> answer =
        acs.getTokenAsync(dev.acstoken.core.TokenRequest.of(id, dev.acstoken.core.Scope.VOIP));
    issued.await();
    assertThat(acs.issuedTokenCount(id)).as("issued at the service").isEqualTo(1);
    assertThat(answer).as("but not yet answered").isNotDone();
    release.countDown();
    assertThat(acs.isValid(answer.get())).isTrue();
    acs.afterEachCall(null);
    pool.shutdown();
  }
}
