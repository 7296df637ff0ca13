package dev.acstoken.core.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Base64;
import java.util.Locale;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConnectionStringTest {

  /** A key as the portal shows one: 64 random bytes, 88 base64 characters with padding. */
  static final String KEY =
      Base64.getEncoder()
          .encodeToString(
              "k3y-material-that-must-never-show-up-in-any-message-or-toString!"
                  .getBytes(java.nio.charset.StandardCharsets.UTF_8));

  static final String ENDPOINT = "https://contoso.communication.azure.com/";

  @Test
  void parse_portalForm_readsEndpointAndKey() {
    ConnectionString cs = ConnectionString.parse("endpoint=" + ENDPOINT + ";accesskey=" + KEY);

    assertThat(cs.endpoint()).isEqualTo(URI.create(ENDPOINT));
    assertThat(cs.accessKey()).isEqualTo(KEY);
    assertThat(cs.value()).isEqualTo("endpoint=" + ENDPOINT + ";accesskey=" + KEY);
  }

  @Test
  void parse_keysCaseInsensitiveAndTrimmed_valuesTrimmed_anyOrder() {
    ConnectionString cs =
        ConnectionString.parse(" AccessKey = " + KEY + " ;  ENDPOINT=" + ENDPOINT + " ;");

    assertThat(cs.endpoint()).isEqualTo(URI.create(ENDPOINT));
    assertThat(cs.accessKey()).isEqualTo(KEY);
  }

  @Test
  void parse_endpointWithoutSlashOrWithPort_normalised() {
    assertThat(
            ConnectionString.parse(
                    "endpoint=https://contoso.communication.azure.com;accesskey=" + KEY)
                .endpoint())
        .isEqualTo(URI.create(ENDPOINT));
    assertThat(
            ConnectionString.parse("endpoint=HTTPS://localhost:8443;accesskey=" + KEY).endpoint())
        .isEqualTo(URI.create("https://localhost:8443/"));
  }

  @Test
  void parse_keyWithEqualsPadding_splitsOnFirstEquals() {
    String key = Base64.getEncoder().encodeToString(new byte[] {1, 2, 3, 4});
    assertThat(key).endsWith("==");

    assertThat(ConnectionString.parse("endpoint=" + ENDPOINT + ";accesskey=" + key).accessKey())
        .isEqualTo(key);
  }

  @Test
  void parse_missingEndpoint_throws() {
    assertRejected("accesskey=" + KEY).hasMessageStartingWith("connection string has no endpoint");
    assertRejected("endpoint=;accesskey=" + KEY)
        .hasMessageStartingWith("connection string has no endpoint");
  }

  @Test
  void parse_missingKey_throws() {
    assertRejected("endpoint=" + ENDPOINT)
        .hasMessageStartingWith("connection string has no accesskey");
    assertRejected("endpoint=" + ENDPOINT + ";accesskey= ")
        .hasMessageStartingWith("connection string has no accesskey");
  }

  @Test
  void parse_unknownKey_throwsNamingIt() {
    assertRejected("endpoint=" + ENDPOINT + ";accesskey=" + KEY + ";SharedAccessKeyName=x")
        .hasMessage(
            "connection string has an unknown key 'sharedaccesskeyname'; only 'endpoint' and"
                + " 'accesskey' are allowed");
  }

  @Test
  void parse_keyWithoutItsName_rejectedWithoutEchoingTheKey() {
    // a key pasted without "accesskey=": the part up to its first '=' is key material
    assertRejected("endpoint=" + ENDPOINT + ";" + KEY)
        .hasMessage(
            "connection string has an unknown key of "
                + KEY.indexOf('=')
                + " characters (not shown: it may be the key); only 'endpoint' and 'accesskey' are"
                + " allowed");
  }

  @Test
  void parse_partWithoutEquals_throwsWithItsIndex() {
    assertRejected("endpoint=" + ENDPOINT + ";accesskey=" + KEY + ";" + KEY.replace("=", ""))
        .hasMessageStartingWith("connection string part 3 has no '='");
  }

  @Test
  void parse_duplicateKeys_throws() {
    assertRejected("endpoint=" + ENDPOINT + ";accesskey=" + KEY + ";AccessKey=" + KEY)
        .hasMessageStartingWith("connection string names 'accesskey' twice");
    assertRejected("endpoint=" + ENDPOINT + ";Endpoint=" + ENDPOINT + ";accesskey=" + KEY)
        .hasMessageStartingWith("connection string names 'endpoint' twice");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://contoso.communication.azure.com/",
        "ftp://contoso.communication.azure.com/",
        "contoso.communication.azure.com"
      })
  void parse_endpointNotHttps_throws(String endpoint) {
    assertRejected("endpoint=" + endpoint + ";accesskey=" + KEY)
        .hasMessageContaining("must use https");
  }

  @Test
  void parse_endpointNotAUrl_throws() {
    assertRejected("endpoint=https://conto so/;accesskey=" + KEY)
        .hasMessageContaining("is not a valid URL");
    assertRejected("endpoint=https:///path;accesskey=" + KEY).hasMessageContaining("has no host");
    assertRejected("endpoint=https://contoso/?q=1;accesskey=" + KEY)
        .hasMessageContaining("must not carry user info, a query or a fragment");
  }

  @Test
  void parse_wrongSeparator_keyInsideTheEndpointNeverEchoed() {
    // a comma instead of ';' puts the key into the endpoint's value
    assertRejected("endpoint=http://contoso/,accesskey=" + KEY + ";accesskey=" + KEY);
    assertRejected("endpoint=https://contoso/ accesskey=" + KEY + ";accesskey=" + KEY);
    assertRejected("endpoint=https://contoso/?accesskey=" + KEY + ";accesskey=" + KEY);
  }

  @ParameterizedTest
  @ValueSource(strings = {"not base64!", "abc$def", "a", "===="})
  void parse_keyNotBase64_throwsWithItsLengthOnly(String key) {
    assertRejectedWithoutKey("endpoint=" + ENDPOINT + ";accesskey=" + key, key)
        .hasMessageContaining("access key");
  }

  @Test
  void parse_blankOrNull_throws() {
    assertRejected("  ").hasMessageStartingWith("connection string must not be null or blank");
    assertThatThrownBy(() -> ConnectionString.parse(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("connection string must not be null or blank");
  }

  @Test
  void of_endpointAndKey_equalsParsedForm() {
    ConnectionString of = ConnectionString.of(" " + ENDPOINT, KEY + " ");
    ConnectionString parsed = ConnectionString.parse("endpoint=" + ENDPOINT + ";accesskey=" + KEY);

    assertThat(of).isEqualTo(parsed).hasSameHashCodeAs(parsed);
    assertThat(of).isNotEqualTo(ConnectionString.of(ENDPOINT, "AAAA"));
  }

  @Test
  void of_invalidParts_throwWithoutTheKey() {
    assertThatThrownBy(() -> ConnectionString.of(null, KEY))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("endpoint must not be null or blank");
    assertThatThrownBy(() -> ConnectionString.of(ENDPOINT, " "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("access key must not be null or blank");
    assertThatThrownBy(() -> ConnectionString.of("http://x/", KEY))
        .isInstanceOf(IllegalArgumentException.class)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(KEY));
  }

  @Test
  void toString_showsEndpointAndRedactsKey() {
    ConnectionString cs = ConnectionString.parse("endpoint=" + ENDPOINT + ";accesskey=" + KEY);

    assertThat(cs).hasToString("ConnectionString[endpoint=" + ENDPOINT + ", accesskey=<redacted>]");
    assertThat(cs.toString()).doesNotContain(KEY);
  }

  private static AbstractThrowableAssert<?, ? extends Throwable> assertRejected(String value) {
    return assertRejectedWithoutKey(value, KEY);
  }

  /** Asserts the value is rejected and that neither the key nor the string shows anywhere. */
  static AbstractThrowableAssert<?, ? extends Throwable> assertRejectedWithoutKey(
      String value, String key) {
    String keyCore = key.replace("=", "");
    return assertThatThrownBy(() -> ConnectionString.parse(value))
        .isInstanceOf(IllegalArgumentException.class)
        .satisfies(
            e -> {
              for (Throwable t = e; t != null; t = t.getCause()) {
                String text = t.toString().toLowerCase(Locale.ROOT);
                if (keyCore.length() >= 8) {
                  // not even a part of it, in any case
                  for (int i = 0; i + 8 <= keyCore.length(); i += 4) {
                    assertThat(text)
                        .doesNotContain(keyCore.substring(i, i + 8).toLowerCase(Locale.ROOT));
                  }
                } else {
                  assertThat(t.getMessage()).doesNotContain("'" + key + "'");
                }
                if (!value.isBlank()) {
                  assertThat(text).doesNotContain(value.toLowerCase(Locale.ROOT).trim());
                }
              }
            });
  }
}
