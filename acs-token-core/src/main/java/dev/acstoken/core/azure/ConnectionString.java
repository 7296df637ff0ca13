package dev.acstoken.core.azure;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Base64;
import java.util.Locale;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * An ACS connection string, {@code
 * endpoint=https://<resource>.communication.azure.com/;accesskey=<base64>}, parsed and validated
 * the way the Azure SDK reads it: pairs split on {@code ;}, each on its first {@code =}, keys
 * trimmed and case-insensitive, only {@code endpoint} and {@code accesskey} allowed.
 *
 * <p>The access key is a secret: no message, {@code toString} or log line of this class shows it or
 * the connection string. Immutable and thread-safe.
 */
public final class ConnectionString {

  /** The environment variable {@link #fromEnvironment()} reads. */
  public static final String ENVIRONMENT_VARIABLE = "ACS_CONNECTION_STRING";

  private static final String FORM =
      "expected endpoint=https://<resource>.communication.azure.com/;accesskey=<base64 key>";

  /** Names shown in messages: short and word-like; anything else may be key material. */
  private static final Pattern LOOKS_LIKE_A_NAME = Pattern.compile("[a-z][a-z ._-]{0,31}");

  private final URI endpoint;
  private final String accessKey;

  private ConnectionString(URI endpoint, String accessKey) {
    this.endpoint = endpoint;
    this.accessKey = accessKey;
  }

  /**
   * Parses a connection string.
   *
   * @param connectionString the connection string, as the Azure portal shows it
   * @return the parsed connection string
   * @throws IllegalArgumentException if it is blank, has a pair without {@code =}, a key other than
   *     {@code endpoint} or {@code accesskey}, a key twice, no endpoint, no access key, an endpoint
   *     that is not an absolute {@code https} URL, or an access key that is not base64; the message
   *     names the problem and never contains the key
   */
  public static ConnectionString parse(String connectionString) {
    if (connectionString == null || connectionString.isBlank()) {
      throw new IllegalArgumentException("connection string must not be null or blank; " + FORM);
    }
    String endpoint = null;
    String key = null;
    int index = 0;
    for (String pair : connectionString.split(";")) {
      index++;
      if (pair.isBlank()) {
        continue;
      }
      int eq = pair.indexOf('=');
      if (eq < 0) {
        throw new IllegalArgumentException(
            "connection string part " + index + " has no '='; " + FORM);
      }
      String name = pair.substring(0, eq).trim().toLowerCase(Locale.ROOT);
      String value = pair.substring(eq + 1).trim();
      switch (name) {
        case "endpoint":
          if (endpoint != null) {
            throw new IllegalArgumentException("connection string names 'endpoint' twice; " + FORM);
          }
          endpoint = value;
          break;
        case "accesskey":
          if (key != null) {
            throw new IllegalArgumentException(
                "connection string names 'accesskey' twice; " + FORM);
          }
          key = value;
          break;
        default:
          // a key pasted without its "accesskey=" makes the key itself look like a name:
          // name only what looks like a name, never what may be key material
          throw new IllegalArgumentException(
              "connection string has an unknown key "
                  + (LOOKS_LIKE_A_NAME.matcher(name).matches()
                      ? "'" + name + "'"
                      : "of " + name.length() + " characters (not shown: it may be the key)")
                  + "; only 'endpoint' and 'accesskey' are allowed");
      }
    }
    if (endpoint == null || endpoint.isEmpty()) {
      throw new IllegalArgumentException("connection string has no endpoint; " + FORM);
    }
    if (key == null || key.isEmpty()) {
      throw new IllegalArgumentException("connection string has no accesskey; " + FORM);
    }
    return new ConnectionString(parseEndpoint(endpoint), requireBase64Key(key));
  }

  /**
   * Creates a connection string of an endpoint and an access key.
   *
   * @param endpoint the resource's endpoint, an absolute https URL
   * @param accessKey the resource's access key, base64
   * @return the connection string
   * @throws IllegalArgumentException if the endpoint is not an absolute https URL or the key is not
   *     base64
   */
  public static ConnectionString of(String endpoint, String accessKey) {
    if (endpoint == null || endpoint.isBlank()) {
      throw new IllegalArgumentException("endpoint must not be null or blank");
    }
    if (accessKey == null || accessKey.isBlank()) {
      throw new IllegalArgumentException("access key must not be null or blank");
    }
    return new ConnectionString(parseEndpoint(endpoint.trim()), requireBase64Key(accessKey.trim()));
  }

  /**
   * Reads the connection string from the environment variable {@value #ENVIRONMENT_VARIABLE}.
   *
   * @return the connection string
   * @throws IllegalStateException if the variable is not set or blank
   * @throws IllegalArgumentException if its value is not a valid connection string
   */
  public static ConnectionString fromEnvironment() {
    String value = System.getenv(ENVIRONMENT_VARIABLE);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException(
          "environment variable " + ENVIRONMENT_VARIABLE + " is not set; " + FORM);
    }
    try {
      return parse(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "environment variable " + ENVIRONMENT_VARIABLE + ": " + e.getMessage(), null);
    }
  }

  static URI parseEndpoint(String endpoint) {
    // Messages show the endpoint only as scheme://host[:port]: in a mistyped connection string
    // (a ',' or a blank for the ';') the rest of the "endpoint" is the access key.
    URI uri;
    try {
      uri = new URI(endpoint);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "endpoint is not a valid URL ("
              + e.getReason()
              + " at index "
              + e.getIndex()
              + "); "
              + FORM,
          null);
    }
    if (!"https".equalsIgnoreCase(uri.getScheme())) {
      throw new IllegalArgumentException(
          "endpoint "
              + safeForm(uri)
              + " must use https (the Azure SDK refuses plain http); "
              + FORM);
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      throw new IllegalArgumentException("endpoint has no host; " + FORM);
    }
    if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new IllegalArgumentException(
          "endpoint "
              + safeForm(uri)
              + " must not carry user info, a query or a fragment; "
              + FORM);
    }
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    return URI.create(
        uri.getScheme().toLowerCase(Locale.ROOT) + "://" + uri.getRawAuthority() + path);
  }

  /** {@return what a message may show of an endpoint: scheme and host, never path or query} */
  private static String safeForm(URI uri) {
    if (uri.getScheme() == null) {
      return "without a scheme";
    }
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    if (uri.getHost() == null) {
      return "'" + (scheme.length() > 10 ? scheme.substring(0, 10) + "…" : scheme) + ":…'";
    }
    return "'"
        + scheme
        + "://"
        + uri.getHost()
        + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
        + "/…'";
  }

  private static String requireBase64Key(String key) {
    byte[] decoded;
    try {
      decoded = Base64.getDecoder().decode(key);
    } catch (IllegalArgumentException e) {
      // never echo the key, not even a part of it
      throw new IllegalArgumentException(
          "access key is not valid base64 ("
              + key.length()
              + " characters); copy it from the resource's Keys page",
          null);
    }
    if (decoded.length == 0) {
      throw new IllegalArgumentException("access key decodes to zero bytes");
    }
    return key;
  }

  /** {@return the resource's endpoint, e.g. {@code https://contoso.communication.azure.com/}} */
  public URI endpoint() {
    return endpoint;
  }

  /** {@return the base64 access key; a secret, never log it} */
  public String accessKey() {
    return accessKey;
  }

  /** {@return the connection string in the portal's form; a secret, never log it} */
  public String value() {
    return "endpoint=" + endpoint + ";accesskey=" + accessKey;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof ConnectionString
        && ((ConnectionString) o).endpoint.equals(endpoint)
        && java.security.MessageDigest.isEqual(
            ((ConnectionString) o).accessKey.getBytes(java.nio.charset.StandardCharsets.UTF_8),
            accessKey.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  @Override
  public int hashCode() {
    return endpoint.hashCode();
  }

  /** {@return the endpoint and a redacted key; never the key} */
  @Override
  public String toString() {
    return "ConnectionString[endpoint=" + endpoint + ", accesskey=<redacted>]";
  }
}
