package dev.acstoken.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.acstoken.core.AccessToken;
import dev.acstoken.core.IdentityId;
import dev.acstoken.core.Scope;
import dev.acstoken.core.TokenClaims;
import dev.acstoken.core.TokenLifetime;
import dev.acstoken.core.TokenRequest;
import dev.acstoken.core.error.AcsException;
import dev.acstoken.core.error.UnauthorizedException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The contract of core's {@link dev.acstoken.core.TokenProvider}: extend it, supply the
 * implementation, and JUnit runs these tests against it.
 *
 * <pre>{@code
 * class MyProviderContractTest extends TokenProviderContract {
 *   final MyProvider provider = ...;
 *   protected TokenProvider tokenProvider() { return provider; }
 *   protected IdentityOperations identityOperations() { return provider; }
 * }
 * }</pre>
 *
 * <p>The assertions hold for the real service, the testkit's fake and emulator, and any decorator
 * that keeps the provider's meaning (a cache, for example).
 */
public abstract class TokenProviderContract extends ContractSupport {

  /** Creates the contract; for subclasses. */
  protected TokenProviderContract() {}

  /** A token for a new identity is for that identity and scope, valid for the default 24 h. */
  @Test
  void getToken_forNewIdentity_returnsTokenOfThatIdentityAndScope() {
    IdentityId user = newIdentity();

    AccessToken token = tokenProvider().getToken(TokenRequest.of(user, Scope.CHAT));

    TokenClaims claims = token.claims();
    assertThat(claims.identity()).contains(user);
    assertThat(claims.scopes()).containsExactly(Scope.CHAT);
    assertThat(token.isExpiredAt(clock().instant())).isFalse();
    assertExpiresIn(token, Duration.ofHours(24));
  }

  /** Every requested scope is in the token. */
  @Test
  void getToken_withTwoScopes_carriesBoth() {
    IdentityId user = newIdentity();

    AccessToken token = tokenProvider().getToken(TokenRequest.of(user, Scope.CHAT, Scope.VOIP));

    assertThat(token.claims().scopes()).containsExactlyInAnyOrder(Scope.CHAT, Scope.VOIP);
  }

  /** A requested lifetime is honoured. */
  @Test
  void getToken_withOneHourLifetime_expiresInOneHour() {
    IdentityId user = newIdentity();

    AccessToken token =
        tokenProvider()
            .getToken(TokenRequest.of(user, Scope.VOIP).withLifetime(TokenLifetime.ofMinutes(60)));

    assertExpiresIn(token, Duration.ofMinutes(60));
  }

  /** The async twin completes with a token. */
  @Test
  void getTokenAsync_forNewIdentity_completesWithToken() throws Exception {
    IdentityId user = newIdentity();

    AccessToken token =
        tokenProvider().getTokenAsync(TokenRequest.of(user, Scope.VOIP)).get(60, TimeUnit.SECONDS);

    assertThat(token.claims().identity()).contains(user);
  }

  /** An identity of another resource is refused as not owned. */
  @Test
  void getToken_forIdentityOfAnotherResource_throwsIdentityNotOwned() {
    TokenRequest request = TokenRequest.of(foreignIdentity(), Scope.CHAT);

    assertThatThrownBy(() -> tokenProvider().getToken(request))
        .isInstanceOfSatisfying(
            UnauthorizedException.class,
            e -> {
              assertThat(e.isIdentityNotOwned()).isTrue();
              assertThat(e.isRetryable()).isFalse();
            });
  }

  /** The async twin fails the same way, through its future. */
  @Test
  void getTokenAsync_forIdentityOfAnotherResource_failsWithIdentityNotOwned() {
    TokenRequest request = TokenRequest.of(foreignIdentity(), Scope.CHAT);

    assertThatThrownBy(() -> tokenProvider().getTokenAsync(request).join())
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOf(UnauthorizedException.class);
  }

  /** A deleted identity gets no more tokens, and retrying does not help. */
  @Test
  void getToken_afterDelete_failsNotRetryable() {
    IdentityId user = newIdentity();
    identityOperations().deleteIdentity(user);

    assertThatThrownBy(() -> tokenProvider().getToken(TokenRequest.of(user, Scope.CHAT)))
        .isInstanceOfSatisfying(AcsException.class, e -> assertThat(e.isRetryable()).isFalse());
  }

  /** Revocation ends the old tokens, not the identity: new tokens are issued. */
  @Test
  void getToken_afterRevoke_issuesNewToken() {
    IdentityId user = newIdentity();
    tokenProvider().getToken(TokenRequest.of(user, Scope.CHAT));
    identityOperations().revokeTokens(user);

    AccessToken token = tokenProvider().getToken(TokenRequest.of(user, Scope.CHAT));

    assertThat(token.claims().identity()).contains(user);
  }

  /** A null request is a programming error, reported before any call. */
  @Test
  void getToken_nullRequest_throwsIllegalArgument() {
    assertThatThrownBy(() -> tokenProvider().getToken(null))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
