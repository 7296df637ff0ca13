package dev.acstoken.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.acstoken.core.IdentityId;
import dev.acstoken.core.IdentityWithToken;
import dev.acstoken.core.Scope;
import dev.acstoken.core.TeamsTokenRequest;
import dev.acstoken.core.TokenLifetime;
import dev.acstoken.core.error.UnauthorizedException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The contract of core's {@link dev.acstoken.core.IdentityOperations}: extend it, supply the
 * implementation, and JUnit runs these tests against it. See {@link TokenProviderContract} for an
 * example.
 */
public abstract class IdentityOperationsContract extends ContractSupport {

  /** Creates the contract; for subclasses. */
  protected IdentityOperationsContract() {}

  /** New identities are distinct ACS users of one resource. */
  @Test
  void createIdentity_twice_returnsTwoUsersOfOneResource() {
    IdentityId a = newIdentity();
    IdentityId b = newIdentity();

    assertThat(a.isAcsUser()).isTrue();
    assertThat(b.isAcsUser()).isTrue();
    assertThat(a).isNotEqualTo(b);
    assertThat(a.resourceId()).isEqualTo(b.resourceId());
  }

  /** The async twin completes with a new identity. */
  @Test
  void createIdentityAsync_completesWithNewIdentity() throws Exception {
    IdentityId id = track(identityOperations().createIdentityAsync().get(60, TimeUnit.SECONDS));

    assertThat(id.isAcsUser()).isTrue();
  }

  /** Identity and token in one call: the token is the identity's, with its scopes and lifetime. */
  @Test
  void createIdentityWithToken_returnsIdentityAndItsToken() {
    IdentityWithToken r =
        identityOperations()
            .createIdentityWithToken(EnumSet.of(Scope.VOIP), TokenLifetime.ofMinutes(90));
    track(r.identity());

    assertThat(r.token().claims().identity()).contains(r.identity());
    assertThat(r.token().claims().scopes()).containsExactly(Scope.VOIP);
    assertExpiresIn(r.token(), Duration.ofMinutes(90));
  }

  /** Without a lifetime, the service's default of 24 hours applies. */
  @Test
  void createIdentityWithToken_withoutLifetime_lastsOneDay() {
    IdentityWithToken r =
        identityOperations().createIdentityWithToken(EnumSet.of(Scope.CHAT), null);
    track(r.identity());

    assertExpiresIn(r.token(), Duration.ofHours(24));
  }

  /** No scopes is a programming error, reported before any call. */
  @Test
  void createIdentityWithToken_noScopes_throwsIllegalArgument() {
    Set<Scope> none = EnumSet.noneOf(Scope.class);

    assertThatThrownBy(() -> identityOperations().createIdentityWithToken(none, null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** Revoking the tokens of an identity succeeds, sync and async. */
  @Test
  void revokeTokens_ofExistingIdentity_succeeds() throws Exception {
    IdentityId user = newIdentity();

    identityOperations().revokeTokens(user);
    identityOperations().revokeTokensAsync(user).get(60, TimeUnit.SECONDS);
  }

  /** Deleting an identity succeeds, and it is gone for token issue. */
  @Test
  void deleteIdentityAsync_ofExistingIdentity_completes() throws Exception {
    IdentityId user = identityOperations().createIdentity();

    identityOperations().deleteIdentityAsync(user).get(60, TimeUnit.SECONDS);
  }

  /** Another resource's identity cannot be revoked. */
  @Test
  void revokeTokens_ofIdentityOfAnotherResource_throwsIdentityNotOwned() {
    IdentityId foreign = foreignIdentity();

    assertThatThrownBy(() -> identityOperations().revokeTokens(foreign))
        .isInstanceOfSatisfying(
            UnauthorizedException.class, e -> assertThat(e.isIdentityNotOwned()).isTrue());
  }

  /** Another resource's identity cannot be deleted. */
  @Test
  void deleteIdentity_ofIdentityOfAnotherResource_throwsIdentityNotOwned() {
    IdentityId foreign = foreignIdentity();

    assertThatThrownBy(() -> identityOperations().deleteIdentity(foreign))
        .isInstanceOfSatisfying(
            UnauthorizedException.class, e -> assertThat(e.isIdentityNotOwned()).isTrue());
  }

  /** An Entra token that is not one is refused with 401 InvalidAccessToken. */
  @Test
  void exchangeTeamsToken_withInvalidEntraToken_throwsUnauthorized() {
    TeamsTokenRequest request =
        TeamsTokenRequest.of(
            "not-an-entra-token", UUID.randomUUID().toString(), UUID.randomUUID().toString());

    assertThatThrownBy(() -> identityOperations().exchangeTeamsToken(request))
        .isInstanceOfSatisfying(
            UnauthorizedException.class,
            e -> assertThat(e.errorCode()).contains("InvalidAccessToken"));
  }
}
