package dev.acstoken.testkit;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * Verifies the ACS HMAC-SHA256 request signature as the service does.
 *
 * <p>String to sign: {@code METHOD\n<path and query as received>\n<values of the signed headers,
 * joined by ';'>}; the signed-header list is read from the {@code Authorization} header, so older
 * SDKs that sign {@code date} pass too. The {@code host} value is tried as received and without its
 * port (the Java SDK signs without, the JS SDK with). The body must hash to {@code
 * x-ms-content-sha256}, and the signed date must be within 15 minutes of the verifier's clock.
 * Stateless and thread-safe.
 */
final class HmacVerifier {

  static final Duration MAX_SKEW = Duration.ofMinutes(15);
  static final DateTimeFormatter DATE_FORMAT =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US);

  private final byte[] key;

  HmacVerifier(String base64Key) {
    this.key = Base64.getDecoder().decode(base64Key);
  }

  /**
   * Returns why a request fails verification, or null when it passes.
   *
   * @param header a request header by (case-insensitive) name, or null if absent
   */
  @Nullable String check(
      String method,
      String pathAndQuery,
      Function<String, @Nullable String> header,
      byte[] body,
      Instant now) {
    String authorization = header.apply("Authorization");
    if (authorization == null || authorization.isBlank()) {
      return "no Authorization header";
    }
    String prefix = "HMAC-SHA256 ";
    if (!authorization.regionMatches(true, 0, prefix, 0, prefix.length())) {
      return "Authorization is not HMAC-SHA256";
    }
    String signedHeaders = null;
    String signature = null;
    for (String part : authorization.substring(prefix.length()).trim().split("&")) {
      int eq = part.indexOf('=');
      if (eq <= 0) {
        return "malformed Authorization header";
      }
      String name = part.substring(0, eq).trim();
      if (name.equalsIgnoreCase("SignedHeaders")) {
        signedHeaders = part.substring(eq + 1).trim();
      } else if (name.equalsIgnoreCase("Signature")) {
        signature = part.substring(eq + 1).trim();
      }
    }
    if (signedHeaders == null || signedHeaders.isEmpty() || signature == null) {
      return "Authorization lacks SignedHeaders or Signature";
    }
    byte[] given;
    try {
      given = Base64.getDecoder().decode(signature);
    } catch (IllegalArgumentException e) {
      return "Signature is not base64";
    }
    String contentHash = header.apply("x-ms-content-sha256");
    if (contentHash == null) {
      return "no x-ms-content-sha256 header";
    }
    if (!MessageDigest.isEqual(
        contentHash.trim().getBytes(StandardCharsets.US_ASCII),
        contentHash(body).getBytes(StandardCharsets.US_ASCII))) {
      return "x-ms-content-sha256 does not match the body";
    }
    String date = header.apply("x-ms-date");
    if (date == null) {
      date = header.apply("Date");
    }
    if (date == null) {
      return "no x-ms-date or Date header";
    }
    Instant signedAt;
    try {
      signedAt = ZonedDateTime.parse(date.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      return "x-ms-date is not an RFC 1123 date";
    }
    if (Duration.between(signedAt, now).abs().compareTo(MAX_SKEW) > 0) {
      return "x-ms-date is more than 15 minutes off";
    }
    // every combination of the host as received and without its port
    List<List<String>> candidates = new ArrayList<>();
    candidates.add(new ArrayList<>());
    for (String name : signedHeaders.split(";")) {
      String n = name.trim().toLowerCase(Locale.ROOT);
      String value = header.apply(n);
      if (value == null) {
        return "signed header '" + n + "' is missing";
      }
      List<String> values = new ArrayList<>(List.of(value));
      if (n.equals("host")) {
        String bare = stripPort(value);
        if (!bare.equals(value)) {
          values.add(bare);
        }
      }
      List<List<String>> next = new ArrayList<>();
      for (List<String> c : candidates) {
        for (String v : values) {
          List<String> copy = new ArrayList<>(c);
          copy.add(v);
          next.add(copy);
        }
      }
      candidates = next;
    }
    for (List<String> values : candidates) {
      String toSign =
          method.toUpperCase(Locale.ROOT) + "\n" + pathAndQuery + "\n" + String.join(";", values);
      if (MessageDigest.isEqual(given, sign(key, toSign))) {
        return null;
      }
    }
    return "signature does not match";
  }

  static String stripPort(String host) {
    if (host.startsWith("[")) {
      int close = host.indexOf(']');
      return close > 0 ? host.substring(0, close + 1) : host;
    }
    int colon = host.lastIndexOf(':');
    return colon > 0 && host.indexOf(':') == colon ? host.substring(0, colon) : host;
  }

  /** {@return the base64 SHA-256 of a body, as {@code x-ms-content-sha256} carries it} */
  static String contentHash(byte[] body) {
    try {
      return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@return the HMAC-SHA256 of a string to sign} */
  static byte[] sign(byte[] key, String stringToSign) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(stringToSign.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@return the {@code Signature=} value for a request, as a client computes it} */
  static String signature(
      String base64Key, String method, String pathAndQuery, String date, String host, String hash) {
    return Base64.getEncoder()
        .encodeToString(
            sign(
                Base64.getDecoder().decode(base64Key),
                method + "\n" + pathAndQuery + "\n" + date + ";" + host + ";" + hash));
  }
}
