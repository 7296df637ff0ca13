package dev.acstoken.core;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Builds JWT-shaped strings for tests, with any payload. */
final class Jwts {

  static final String HEADER = "{\"alg\":\"RS256\",\"kid\":\"k\",\"x5t\":\"x\",\"typ\":\"JWT\"}";
  static final String SIGNATURE = "c2lnbmF0dXJlLW9mLWEtcmVhbC1sb29raW5nLXRva2Vu";

  private Jwts() {}

  static String jwt(String payloadJson) {
    return b64(HEADER) + "." + b64(payloadJson) + "." + SIGNATURE;
  }

  static String b64(String s) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }
}
