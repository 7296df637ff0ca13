package dev.acstoken.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TokenClaimsTest {

  static final String RESOURCE = "2dee53b4-368b-45b4-ab52-8493fb117652";
  static final String USER = RESOURCE + "_00000005-14a2-493b-8a72-5a3a0d000081";
  static final String RECORDED_PAYLOAD =
      "{\"skypeid\":\"acs:"
          + USER
          + "\",\"scp\":1792,\"csi\":\"1686823744\",\"exp\":1686910144,"
          + "\"acsScope\":\"chat,voip\",\"resourceId\":\""
          + RESOURCE
          + "\",\"resourceLocation\":\"unitedstates\",\"iat\":1686823744}";

  @Test
  void decode_recordedAcsPayload_readsEveryClaim() {
    TokenClaims claims = TokenClaims.decode(Jwts.jwt(RECORDED_PAYLOAD));

    assertThat(claims.identity()).contains(IdentityId.of("8:acs:" + USER));
    assertThat(claims.scopes()).containsExactly(Scope.CHAT, Scope.VOIP);
    assertThat(claims.scopeNames()).containsExactly("chat", "voip");
    assertThat(claims.issuedAt()).contains(Instant.ofEpochSecond(1686823744));
    assertThat(claims.expiresAt()).isEqualTo(Instant.ofEpochSecond(1686910144));
    assertThat(claims.resourceId()).contains(RESOURCE);
    assertThat(claims.resourceLocation()).contains("unitedstates");
  }

  @Test
  void decode_minimalPayload_onlyExpiry() {
    TokenClaims claims = TokenClaims.decode(Jwts.jwt("{\"exp\":1686910144}"));

    assertThat(claims.expiresAt()).isEqualTo(Instant.ofEpochSecond(1686910144));
    assertThat(claims.identity()).isEmpty();
    assertThat(claims.scopes()).isEmpty();
    assertThat(claims.scopeNames()).isEmpty();
    assertThat(claims.issuedAt()).isEmpty();
    assertThat(claims.resourceId()).isEmpty();
    assertThat(claims.resourceLocation()).isEmpty();
  }

  @Test
  void decode_unknownScopeAndNestedClaims_keepsNamesAndSkipsTheRest() {
    TokenClaims claims =
        TokenClaims.decode(
            Jwts.jwt(
                "{\"acsScope\":\" Chat.Join , future.scope,,voip.join\",\"nested\":{\"a\":[1,{\"b\":2}]},"
                    + "\"list\":[\"x\"],\"exp\":1686910144}"));

    assertThat(claims.scopes()).containsExactly(Scope.CHAT_JOIN, Scope.VOIP_JOIN);
    assertThat(claims.scopeNames()).containsExactly("chat.join", "future.scope", "voip.join");
  }

  @Test
  void decode_paddedPayloadAndSurroundingBlanks_accepted() {
    String jwt = Jwts.jwt("{\"exp\":1686910144}");
    String[] parts = jwt.split("\\.");
    String padded = " " + parts[0] + "." + parts[1] + "==" + "." + parts[2] + "\n";

    assertThat(TokenClaims.decode(padded).expiresAt()).isEqualTo(Instant.ofEpochSecond(1686910144));
  }

  @Test
  void decode_skypeIdNotAnAcsId_identityEmpty() {
    TokenClaims claims =
        TokenClaims.decode(Jwts.jwt("{\"skypeid\":\"acs:broken\",\"exp\":1686910144}"));

    assertThat(claims.identity()).isEmpty();
  }

  @Test
  void decode_teamsUserSkypeId_prefixedOpaqueIdentity() {
    TokenClaims claims =
        TokenClaims.decode(
            Jwts.jwt("{\"skypeid\":\"orgid:45ab2481-1c1c-4005-be24-0ffb879b1130\",\"exp\":1}"));

    assertThat(claims.identity())
        .contains(IdentityId.of("8:orgid:45ab2481-1c1c-4005-be24-0ffb879b1130"));
  }

  @Test
  void toString_showsClaimsNotTheToken() {
    String jwt = Jwts.jwt(RECORDED_PAYLOAD);

    assertThat(TokenClaims.decode(jwt).toString())
        .contains("8:acs:" + USER)
        .contains("[chat, voip]")
        .doesNotContain(Jwts.SIGNATURE)
        .doesNotContain(jwt);
  }

  @Test
  void decode_notThreeParts_saysHowManyWithoutTheToken() {
    String secret = "secret-token-value-do-not-show";
    assertMalformed(secret, "malformed token: a JWT has 3 dot-separated parts, this one has 1");
    assertMalformed(
        "a." + secret, "malformed token: a JWT has 3 dot-separated parts, this one has 2");
    assertMalformed(
        Jwts.jwt("{\"exp\":1}") + "." + secret,
        "malformed token: a JWT has 3 dot-separated parts, this one has 4");
  }

  @Test
  void decode_payloadNotBase64Url_throws() {
    assertMalformed("eyJh.not*base64!.sig", "malformed token: the payload is not base64url");
    // plain base64 with '+' or '/' is not base64url
    assertMalformed("eyJh.ab+/cd.sig", "malformed token: the payload is not base64url");
  }

  @ParameterizedTest
  @ValueSource(strings = {"[1,2]", "\"exp\"", "42", "null", ""})
  void decode_payloadNotAJsonObject_throws(String payload) {
    assertMalformed(Jwts.jwt(payload), "malformed token: the payload is not a JSON object");
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"exp\":1686910144", "{\"exp\":}", "{exp:1}", "not json at all"})
  void decode_payloadNotValidJson_throws(String payload) {
    assertThatThrownBy(() -> TokenClaims.decode(Jwts.jwt(payload)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("malformed token: the payload is not");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{}",
        "{\"exp\":\"1686910144\"}",
        "{\"exp\":null}",
        "{\"iat\":1686823744,\"acsScope\":\"voip\"}"
      })
  void decode_noNumericExp_throws(String payload) {
    assertMalformed(Jwts.jwt(payload), "malformed token: the payload has no numeric 'exp' claim");
  }

  @Test
  void decode_fractionalNumericDates_acceptedAndTruncatedToSeconds() {
    // RFC 7519: a NumericDate may be a non-integer number of seconds
    TokenClaims claims =
        TokenClaims.decode(Jwts.jwt("{\"exp\":1.6869101445E9,\"iat\":1686823744.75}"));

    assertThat(claims.expiresAt()).isEqualTo(Instant.ofEpochSecond(1686910144));
    assertThat(claims.issuedAt()).contains(Instant.ofEpochSecond(1686823744));
  }

  @Test
  void decode_expBeyondLong_throwsMalformed() {
    String jwt = Jwts.jwt("{\"exp\":99999999999999999999999}");

    assertThatThrownBy(() -> TokenClaims.decode(jwt))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("malformed token: ")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(jwt));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"exp\":9223372036854775807}",
        "{\"exp\":-9223372036854775808}",
        "{\"exp\":1686910144,\"iat\":9223372036854775807}"
      })
  void decode_instantOutOfRange_throwsMalformed(String payload) {
    assertThatThrownBy(() -> TokenClaims.decode(Jwts.jwt(payload)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("malformed token: ");
  }

  @Test
  void decode_nullOrBlank_throws() {
    assertThatThrownBy(() -> TokenClaims.decode(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("token must not be null or blank");
    assertThatThrownBy(() -> TokenClaims.decode("  "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("token must not be null or blank");
  }

  private static void assertMalformed(String token, String message) {
    assertThatThrownBy(() -> TokenClaims.decode(token))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message)
        .satisfies(
            e -> {
              assertThat(e.toString()).doesNotContain(token);
              if (e.getCause() != null) {
                assertThat(e.getCause().toString()).doesNotContain(token);
              }
            });
  }
}
