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
  private static final String LOCAL = "127.0.0.1";
  private static final int PORT = 8443;
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
  void check_knownAnswerRequestSignedForAnotherHost_isDenied() {
    Map<String, String> headers =
        headers("DGdgwggJWnQyc6EHjR/Vbqg1ES64KpD6U2XwTDDj3tU=", "example.com");

    assertThat(check("/testPath?testQuery=test", headers, SIGNED_AT)).contains("Host");
  }

  @Test
  void check_localHostSigned_passes() {
    Map<String, String> headers = headers(sign("/testPath?testQuery=test", LOCAL), LOCAL);

    assertThat(check("/testPath?testQuery=test", headers, SIGNED_AT)).isNull();
  }

  @Test
  void check_hostSignedWithoutPortButSentWithPort_passes() {
    Map<String, String> headers = headers(sign("/testPath", LOCAL), LOCAL + ":" + PORT);

    assertThat(check("/testPath", headers, SIGNED_AT)).isNull();
  }

  @Test
  void check_hostSignedWithPort_passes() {
    String sig = sign("/testPath", "localhost:" + PORT);

    assertThat(check("/testPath", headers(sig, "localhost:" + PORT), SIGNED_AT)).isNull();
  }

  @Test
  void check_hostWithAnotherPort_isDenied() {
    String sig = sign("/testPath", LOCAL + ":1");

    assertThat(check("/testPath", headers(sig, LOCAL + ":1"), SIGNED_AT)).contains("Host");
  }

  @Test
  void check_olderSdkSigningDateHeader_passes() {
    String sig = sign("/testPath", LOCAL);
    Map<String, String> headers = headers(sig, LOCAL);
    headers.remove("x-ms-date");
    headers.put("date", DATE);
    headers.put(
        "authorization",
        "HMAC-SHA256 SignedHeaders=date;host;x-ms-content-sha256&Signature=" + sig);

    assertThat(check("/testPath", headers, SIGNED_AT)).isNull();
  }

  @Test
  void check_otherPath_fails() {
    Map<String, String> headers = headers(sign("/testPath", LOCAL), LOCAL);

    assertThat(check("/otherPath", headers, SIGNED_AT)).isEqualTo("signature does not match");
  }

  @Test
  void check_dateSixteenMinutesOff_fails() {
    Map<String, String> headers = headers(sign("/testPath", LOCAL), LOCAL);

    assertThat(check("/testPath", headers, SIGNED_AT.plusSeconds(16 * 60))).contains("15 minutes");
    assertThat(check("/testPath", headers, SIGNED_AT.plusSeconds(14 * 60))).isNull();
  }

  @Test
  void check_bodyNotMatchingHash_fails() {
    Map<String, String> headers = headers(sign("/testPath", LOCAL), LOCAL);

    String why =
        new HmacVerifier(KEY)
            .check(
                "GET",
                "/testPath",
                n -> headers.get(n.toLowerCase(Locale.ROOT)),
                "banana".getBytes(StandardCharsets.UTF_8),
                SIGNED_AT,
                PORT);

    assertThat(why).contains("x-ms-content-sha256");
  }

  @Test
  void check_missingOrMalformedAuthorization_fails() {
    Map<String, String> headers = headers("x", LOCAL);
    headers.remove("authorization");
    assertThat(check("/testPath", headers, SIGNED_AT)).startsWith("no Authorization header");
    headers.put("authorization", "HMAC-SHA256 nonsense");
    assertThat(check("/testPath", headers, SIGNED_AT)).contains("SignedHeaders and Signature");
    headers.put("authorization", "HMAC-SHA256 a&b");
    assertThat(check("/testPath", headers, SIGNED_AT)).isEqualTo("malformed Authorization header");
    headers.put("authorization", "Basic abc");
    assertThat(check("/testPath", headers, SIGNED_AT)).contains("not HMAC");
  }

  @Test
  void check_signedHeaderListOtherThanTheServices_isDeniedBeforeAnyHmac() {
    String sig = sign("/testPath", LOCAL);
    for (String list :
        new String[] {
          "host",
          "x-ms-date;host",
          "x-ms-date;host;x-ms-content-sha256;host",
          "host;x-ms-date;x-ms-content-sha256",
          "host;".repeat(26) + "host",
          ""
        }) {
      Map<String, String> headers = headers(sig, LOCAL);
      headers.put("authorization", "HMAC-SHA256 SignedHeaders=" + list + "&Signature=" + sig);

      assertThat(check("/testPath", headers, SIGNED_AT)).as(list).isNotNull();
    }
  }

  @Test
  void check_twoCredentialsJoinedByComma_isDenied() {
    String good = sign("/testPath", LOCAL);
    String auth = "HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=";
    Map<String, String> headers = headers(good, LOCAL);
    headers.put("authorization", auth + "AAAA, " + auth + good);

    assertThat(check("/testPath", headers, SIGNED_AT)).contains("more than one");
  }

  @Test
  void check_repeatedSignatureParameter_isDenied() {
    String good = sign("/testPath", LOCAL);
    Map<String, String> headers = headers(good, LOCAL);
    headers.put(
        "authorization",
        "HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=AAAA&Signature="
            + good);

    assertThat(check("/testPath", headers, SIGNED_AT)).isNotNull();
  }

  private static String sign(String path, String host) {
    return HmacVerifier.signature(KEY, "GET", path, DATE, host, EMPTY_HASH);
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
        .check("GET", path, n -> headers.get(n.toLowerCase(Locale.ROOT)), new byte[0], now, PORT);
  }
}
