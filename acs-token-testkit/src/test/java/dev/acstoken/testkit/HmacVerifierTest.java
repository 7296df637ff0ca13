package dev.acstoken.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HmacVerifierTest {

  private static final String KEY = "pw==";
  private static final String DATE = "Wed, 13 Apr 2022 18:09:12 GMT";
  private static final String EMPTY_HASH = "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=";
  private static final Instant SIGNED_AT =
      ZonedDateTime.parse(DATE, HmacVerifier.DATE_FORMAT.withZone(java.time.ZoneOffset.UTC))
          .toInstant();

  @Test
  void signature_knownAnswerWithQuery_matchesSdkTests() {
    assertThat(
            HmacVerifier.signature(
                KEY, "GET", "/testPath?testQuery=test", DATE, "example.com", EMPTY_HASH))
        .isEqualTo("DGdgwggJWnQyc6EHjR/Vbqg1ES64KpD6U2XwTDDj3tU=");
  }

  @Test
  void signature_knownAnswerWithoutQuery_matchesSdkTests() {
    assertThat(HmacVerifier.signature(KEY, "GET", "/testPath", DATE, "example.com", EMPTY_HASH))
        .isEqualTo("+6tWkg3lNKVjQHHmxkdGQcJjUgzclsWTMebnuCz1ngU=");
  }

  @Test
  void contentHash_knownAnswers_matchSdkTests() {
    assertThat(HmacVerifier.contentHash(new byte[0])).isEqualTo(EMPTY_HASH);
    assertThat(HmacVerifier.contentHash("banana".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo("tJPUg2Sv5E0RwBZc9HCkFk0eJgmRHvmYvoaNRq3j3k4=");
    assertThat(HmacVerifier.contentHash("{}".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo("RBNvo1WzZ4oRRq0W9+hknpT7T8If536DEMBg9hyq/4o=");
  }

  @Test
  void check_knownAnswerRequest_passes() {
    Map<String, String> headers =
        headers("DGdgwggJWnQyc6EHjR/Vbqg1ES64KpD6U2XwTDDj3tU=", "example.com");

    assertThat(check("/testPath?testQuery=test", headers, SIGNED_AT)).isNull();
  }

  @Test
  void check_hostSignedWithoutPortButSentWithPort_passes() {
    Map<String, String> headers =
        headers("+6tWkg3lNKVjQHHmxkdGQcJjUgzclsWTMebnuCz1ngU=", "example.com:8443");

    assertThat(check("/testPath", headers, SIGNED_AT)).isNull();
  }

  @Test
  void check_hostSignedWithPort_passes() {
    String sig =
        HmacVerifier.signature(KEY, "GET", "/testPath", DATE, "example.com:8443", EMPTY_HASH);

    assertThat(check("/testPath", headers(sig, "example.com:8443"), SIGNED_AT)).isNull();
  }

  @Test
  void check_olderSdkSigningDateHeader_passes() {
    String sig = HmacVerifier.signature(KEY, "GET", "/testPath", DATE, "example.com", EMPTY_HASH);
    Map<String, String> headers = headers(sig, "example.com");
    headers.remove("x-ms-date");
    headers.put("date", DATE);
    headers.put(
        "authorization",
        "HMAC-SHA256 SignedHeaders=date;host;x-ms-content-sha256&Signature=" + sig);

    assertThat(check("/testPath", headers, SIGNED_AT)).isNull();
  }

  @Test
  void check_otherPath_fails() {
    Map<String, String> headers =
        headers("+6tWkg3lNKVjQHHmxkdGQcJjUgzclsWTMebnuCz1ngU=", "example.com");

    assertThat(check("/otherPath", headers, SIGNED_AT)).isEqualTo("signature does not match");
  }

  @Test
  void check_dateSixteenMinutesOff_fails() {
    Map<String, String> headers =
        headers("+6tWkg3lNKVjQHHmxkdGQcJjUgzclsWTMebnuCz1ngU=", "example.com");

    assertThat(check("/testPath", headers, SIGNED_AT.plusSeconds(16 * 60))).contains("15 minutes");
    assertThat(check("/testPath", headers, SIGNED_AT.plusSeconds(14 * 60))).isNull();
  }

  @Test
  void check_bodyNotMatchingHash_fails() {
    Map<String, String> headers =
        headers("+6tWkg3lNKVjQHHmxkdGQcJjUgzclsWTMebnuCz1ngU=", "example.com");

    String why =
        new HmacVerifier(KEY)
            .check(
                "GET",
                "/testPath",
                n -> headers.get(n.toLowerCase(Locale.ROOT)),
                "banana".getBytes(StandardCharsets.UTF_8),
                SIGNED_AT);

    assertThat(why).contains("x-ms-content-sha256");
  }

  @Test
  void check_missingOrMalformedAuthorization_fails() {
    Map<String, String> headers = headers("x", "example.com");
    headers.remove("authorization");
    assertThat(check("/testPath", headers, SIGNED_AT)).isEqualTo("no Authorization header");
    headers.put("authorization", "HMAC-SHA256 nonsense");
    assertThat(check("/testPath", headers, SIGNED_AT)).isEqualTo("malformed Authorization header");
    headers.put("authorization", "Basic abc");
    assertThat(check("/testPath", headers, SIGNED_AT)).contains("not HMAC");
  }

  private static Map<String, String> headers(String signature, String host) {
    Map<String, String> h = new HashMap<>();
    h.put("x-ms-date", DATE);
    h.put("host", host);
    h.put("x-ms-content-sha256", EMPTY_HASH);
    h.put(
        "authorization",
        "HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=" + signature);
    return h;
  }

  private static String check(String path, Map<String, String> headers, Instant now) {
    return new HmacVerifier(KEY)
        .check("GET", path, n -> headers.get(n.toLowerCase(Locale.ROOT)), new byte[0], now);
  }
}
