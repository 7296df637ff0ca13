package dev.acstoken.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TokenRequestTest {

  static final IdentityId ALICE = IdentityId.of(IdentityIdTest.ACS_ID);
  static final IdentityId BOB =
      IdentityId.of(
          "8:acs:2dee53b4-368b-45b4-ab52-8493fb117652_00000005-14a2-493b-8a72-5a3a0d000082");

  @Test
  void of_sameScopesInAnyOrderWithDuplicates_equalAndSameHash() {
    TokenRequest a = TokenRequest.of(ALICE, Scope.VOIP, Scope.CHAT);
    TokenRequest b = TokenRequest.of(ALICE, List.of(Scope.CHAT, Scope.VOIP, Scope.CHAT));
    TokenRequest c = TokenRequest.of(ALICE, Scope.CHAT, Scope.VOIP, Scope.VOIP);

    assertThat(a).isEqualTo(b).isEqualTo(c).hasSameHashCodeAs(b).hasSameHashCodeAs(c);
    assertThat(a.scopes()).containsExactly(Scope.CHAT, Scope.VOIP);
  }

  @Test
  void equals_differentIdentityScopesOrLifetime_notEqual() {
    TokenRequest base = TokenRequest.of(ALICE, Scope.VOIP);

    assertThat(base).isNotEqualTo(TokenRequest.of(BOB, Scope.VOIP));
    assertThat(base).isNotEqualTo(TokenRequest.of(ALICE, Scope.CHAT));
    assertThat(base).isNotEqualTo(TokenRequest.of(ALICE, Scope.VOIP, Scope.CHAT));
    assertThat(base).isNotEqualTo(base.withLifetime(TokenLifetime.ofMinutes(60)));
    assertThat(base).isNotEqualTo("voip");
  }

  @Test
  void withLifetime_setsAndClearsLifetime() {
    TokenRequest base = TokenRequest.of(ALICE, Scope.VOIP);
    TokenRequest hour = base.withLifetime(TokenLifetime.MIN);

    assertThat(base.lifetime()).isEmpty();
    assertThat(hour.lifetime()).contains(TokenLifetime.MIN);
    assertThat(hour.withLifetime(null)).isEqualTo(base);
    assertThat(base.withLifetime(TokenLifetime.MIN)).isEqualTo(hour).hasSameHashCodeAs(hour);
  }

  @Test
  void scopes_notModifiable() {
    TokenRequest r = TokenRequest.of(ALICE, Scope.VOIP);

    assertThatThrownBy(() -> r.scopes().add(Scope.CHAT))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void of_callerMutatesCollectionAfterwards_requestUnchanged() {
    java.util.ArrayList<Scope> scopes = new java.util.ArrayList<>(List.of(Scope.VOIP));
    TokenRequest r = TokenRequest.of(ALICE, scopes);

    scopes.add(Scope.CHAT);

    assertThat(r.scopes()).containsExactly(Scope.VOIP);
  }

  @Test
  void of_emptyScopes_throwsListingAllowed() {
    assertThatThrownBy(() -> TokenRequest.of(ALICE, Set.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "at least one scope is required; allowed: chat, voip, chat.join, chat.join.limited,"
                + " voip.join");
  }

  @Test
  void of_nullScopes_throws() {
    assertThatThrownBy(() -> TokenRequest.of(ALICE, (Collection<Scope>) null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("scopes must not be null");
    assertThatThrownBy(() -> TokenRequest.of(ALICE, Arrays.asList(Scope.VOIP, null)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("scopes must not contain null");
    assertThatThrownBy(() -> TokenRequest.of(ALICE, Scope.VOIP, (Scope) null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("scopes must not contain null");
    assertThatThrownBy(() -> TokenRequest.of(ALICE, (Scope) null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("scopes must not be null");
  }

  @Test
  void of_nullIdentity_throws() {
    assertThatThrownBy(() -> TokenRequest.of(null, Scope.VOIP))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("identity must not be null");
    assertThatThrownBy(() -> TokenRequest.of(null, List.of(Scope.VOIP)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("identity must not be null");
  }

  @Test
  void toString_showsIdentityScopesAndLifetime() {
    TokenRequest r = TokenRequest.of(ALICE, Scope.VOIP, Scope.CHAT);

    assertThat(r)
        .hasToString("TokenRequest[identity=" + ALICE + ", scopes=[chat, voip], lifetime=default]");
    assertThat(r.withLifetime(TokenLifetime.MIN).toString()).endsWith("lifetime=PT1H]");
  }
}
