package dev.acstoken.testkit;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
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
 * <p>String to sign: {@code METHOD\n<path and query as received>\n<x-ms-date>;<host>;<body hash>}.
 * The signed-header list is checked first, before any work that depends on the request's size: it
 * must be exactly {@code x-ms-date;host;x-ms-content-sha256} (older SDKs sign {@code date} in place
 * of {@code x-ms-date}), so the content hash is always signed. The {@code Authorization} header
 * must be sent once, with one {@code SignedHeaders} and one {@code Signature}. The {@code Host}
 * must name the emulator ({@code 127.0.0.1}, {@code localhost} or {@code [::1]}, with its port or
 * without); the signature is tried over the host as received and without its port (the Java SDK
 * signs without, the JS SDK with): at most two HMACs per request. The body must hash to {@code
 * x-ms-content-sha256}, and the signed date must be within 15 minutes of the verifier's clock.
 * Stateless and thread-safe.
 */
final class HmacVerifier {

  static final Duration MAX_SKEW = Duration.ofMinutes(15);
  static final DateTimeFormatter DATE_FORMAT =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US);

  private static final String SIGNED = "x-ms-date;host;x-ms-content-sha256";
  private static final String SIGNED_OLD = "date;host;x-ms-content-sha256";
  private static final List<String> LOCAL_HOSTS = List.of("127.0.0.1", "localhost", "[::1]");

  private final byte[] key;

  HmacVerifier(String base64Key) {
    this.key = Base64.getDecoder().decode(base64Key);
  }

  /**
   * Returns why a request fails verification, or null when it passes.
   *
   * @param header a request header by (case-insensitive) name; null if absent or sent twice
   * @param port the port the emulator serves, which a {@code Host} with a port must name
   */
  @Nullable String check(
      String method,
      String pathAndQuery,
      Function<String, @Nullable String> header,
      byte[] body,
      Instant now,
      int port) {
    String authorization = header.apply("Authorization");
    if (authorization == null || authorization.isBlank()) {
      return "no Authorization header, or more than one";
    }
    String prefix = "HMAC-SHA256 ";
    if (!authorization.regionMatches(true, 0, prefix, 0, prefix.length())) {
      return "Authorization is not HMAC-SHA256";
    }
    if (authorization.indexOf(',') >= 0) {
      return "Authorization holds more than one credential";
    }
    String[] parts = authorization.substring(prefix.length()).trim().split("&", -1);
    if (parts.length != 2) {
      return "Authorization must hold SignedHeaders and Signature, once each";
    }
    String signedHeaders = null;
    String signature = null;
    for (String part : parts) {
      int eq = part.indexOf('=');
      if (eq <= 0) {
        return "malformed Authorization header";
      }
      String name = part.substring(0, eq).trim();
      if (name.equalsIgnoreCase("SignedHeaders") && signedHeaders == null) {
        signedHeaders = part.substring(eq + 1).trim();
      } else if (name.equalsIgnoreCase("Signature") && signature == null) {
        signature = part.substring(eq + 1).trim();
      } else {
        return "Authorization holds an unknown or repeated parameter";
      }
    }
    if (signedHeaders == null || signature == null) {
      return "Authorization lacks SignedHeaders or Signature";
    }
    String dateHeader;
    if (signedHeaders.equalsIgnoreCase(SIGNED)) {
      dateHeader = "x-ms-date";
    } else if (signedHeaders.equalsIgnoreCase(SIGNED_OLD)) {
      dateHeader = "Date";
    } else {
      return "SignedHeaders must be " + SIGNED + " (or " + SIGNED_OLD + ")";
    }
    byte[] given;
    try {
      given = Base64.getDecoder().decode(signature);
    } catch (IllegalArgumentException e) {
      return "Signature is not base64";
    }
    if (given.length != 32) {
      return "Signature is not an HMAC-SHA256";
    }
    String host = header.apply("Host");
    if (host == null || !isLocal(host, port)) {
      return "Host is missing, sent twice or not the emulator's";
    }
    String contentHash = header.apply("x-ms-content-sha256");
    if (contentHash == null) {
      return "no x-ms-content-sha256 header, or more than one";
    }
    if (!MessageDigest.isEqual(
        contentHash.trim().getBytes(StandardCharsets.US_ASCII),
        contentHash(body).getBytes(StandardCharsets.US_ASCII))) {
      return "x-ms-content-sha256 does not match the body";
    }
    String date = header.apply(dateHeader);
    if (date == null) {
      return "no " + dateHeader + " header, or more than one";
    }
    Instant signedAt;
    try {
      signedAt = ZonedDateTime.parse(date.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      return dateHeader + " is not an RFC 1123 date";
    }
    if (Duration.between(signedAt, now).abs().compareTo(MAX_SKEW) > 0) {
      return dateHeader + " is more than 15 minutes off";
    }
    String head = method.toUpperCase(Locale.ROOT) + "\n" + pathAndQuery + "\n" + date + ";";
    String tail = ";" + contentHash;
    if (MessageDigest.isEqual(given, sign(key, head + host + tail))) {
      return null;
    }
    String bare = stripPort(host);
    if (!bare.equals(host) && MessageDigest.isEqual(given, sign(key, head + bare + tail))) {
      return null;
    }
    return "signature does not match";
  }

  /** {@return whether a Host header names the emulator: a loopback name, its port or none} */
  static boolean isLocal(String host, int port) {
    String bare = stripPort(host);
    boolean name = false;
    for (String h : LOCAL_HOSTS) {
      name |= h.equalsIgnoreCase(bare);
    }
    return name && (bare.equals(host) || host.equals(bare + ":" + port));
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
