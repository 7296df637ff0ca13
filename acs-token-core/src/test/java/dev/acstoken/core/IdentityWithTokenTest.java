package dev.acstoken.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class IdentityWithTokenTest {

  @Test
  void of_keepsBothAndRedactsTheToken() {
    IdentityId id = IdentityId.of(IdentityIdTest.ACS_ID);
    AccessToken token = AccessToken.of(AccessTokenTest.VALUE, AccessTokenTest.EXPIRY);

    IdentityWithToken pair = IdentityWithToken.of(id, token);

    assertThat(pair.identity()).isEqualTo(id);
    assertThat(pair.token()).isEqualTo(token);
    assertThat(pair).isEqualTo(IdentityWithToken.of(id, token)).hasSameHashCodeAs(pair);
    assertThat(pair.toString()).contains(id.value()).doesNotContain(token.value());
  }

  @Test
  void of_null_throws() {
    assertThatThrownBy(() -> IdentityWithToken.of(null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("identity and token must not be null");
  }
}
