package dev.acstoken.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AccessTokenTest {

  static final Instant EXPIRY = Instant.parse("2023-06-14T11:29:04.2902987Z");
  static final String VALUE =
      Jwts.jwt(
          "{\"skypeid\":\"acs:2dee53b4-368b-45b4-ab52-8493fb117652_00000005-14a2-493b-8a72-5a3a0d000081\","
              + "\"scp\":1792,\"csi\":\"1686823744\",\"exp\":1686910144,\"acsScope\":\"voip\","
              + "\"resourceId\":\"2dee53b4-368b-45b4-ab52-8493fb117652\",\"iat\":1686823744}");

  @Test
  void of_keepsValueAndExpiry() {
    AccessToken token = AccessToken.of(VALUE, EXPIRY);

    assertThat(token.value()).isEqualTo(VALUE);
    assertThat(token.expiresAt()).isEqualTo(EXPIRY);
  }

  @Test
  void toString_neverShowsTheValue() {
    AccessToken token = AccessToken.of(VALUE, EXPIRY);

    assertThat(token.toString())
        .doesNotContain(VALUE)
        .doesNotContain(Jwts.SIGNATURE)
        .doesNotContain(VALUE.split("\\.")[1])
        .isEqualTo(
            "AccessToken[eyJhbGci…(" + VALUE.length() + " chars), expiresAt=" + EXPIRY + "]");
  }

  @Test
  void redacted_showsAtMostEightCharactersAndTheLength() {
    assertThat(AccessToken.of(VALUE, EXPIRY).redacted())
        .isEqualTo("eyJhbGci…(" + VALUE.length() + " chars)");
    // a short secret shows at most a quarter of itself
    assertThat(AccessToken.redact("abcdefgh")).isEqualTo("ab…(8 chars)");
    assertThat(AccessToken.redact("abc")).isEqualTo("…(3 chars)");
  }

  @Test
  void of_blankOrNull_throwsWithoutEchoingAnything() {
    assertThatThrownBy(() -> AccessToken.of(" ", EXPIRY))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("token value must not be null or blank");
    assertThatThrownBy(() -> AccessToken.of(null, EXPIRY))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("token value must not be null or blank");
    assertThatThrownBy(() -> AccessToken.of(VALUE, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("token expiry must not be null");
  }

  @Test
  void equals_sameValueAndExpiry_equal() {
    AccessToken a = AccessToken.of(VALUE, EXPIRY);
    AccessToken b = AccessToken.of(new String(VALUE.toCharArray()), EXPIRY);

    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(a).isEqualTo(a);
  }

  @Test
  void equals_differentValueLengthOrExpiry_notEqual() {
    AccessToken a = AccessToken.of(VALUE, EXPIRY);

    assertThat(a).isNotEqualTo(AccessToken.of(VALUE + "x", EXPIRY));
    assertThat(a).isNotEqualTo(AccessToken.of(VALUE.substring(1), EXPIRY));
    assertThat(a)
        .isNotEqualTo(AccessToken.of(VALUE.substring(0, VALUE.length() - 1) + "A", EXPIRY));
    assertThat(a).isNotEqualTo(AccessToken.of(VALUE, EXPIRY.plusSeconds(1)));
    assertThat(a).isNotEqualTo(VALUE);
  }

  @Test
  void isExpiredAt_atAndAfterExpiry_true() {
    AccessToken token = AccessToken.of(VALUE, EXPIRY);

    assertThat(token.isExpiredAt(EXPIRY.minusNanos(1))).isFalse();
    assertThat(token.isExpiredAt(EXPIRY)).isTrue();
    assertThat(token.isExpiredAt(EXPIRY.plusSeconds(1))).isTrue();
  }

  @Test
  void timeLeft_measuresFromTheGivenInstant() {
    AccessToken token = AccessToken.of(VALUE, EXPIRY);

    assertThat(token.timeLeft(EXPIRY.minus(Duration.ofMinutes(5))))
        .isEqualTo(Duration.ofMinutes(5));
    assertThat(token.timeLeft(EXPIRY.plusSeconds(1))).isNegative();
  }

  @Test
  void claims_decodesTheJwt() {
    TokenClaims claims = AccessToken.of(VALUE, EXPIRY).claims();

    assertThat(claims.scopes()).containsExactly(Scope.VOIP);
    assertThat(claims.expiresAt()).isEqualTo(Instant.ofEpochSecond(1686910144));
  }
}
