package dev.acstoken.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TeamsTokenRequestTest {

  static final String ENTRA = Jwts.jwt("{\"aud\":\"https://auth.msft.communication.azure.com\"}");
  static final String APP = "8c9d6a1e-7a6b-4d3a-9b2c-1e2f3a4b5c6d";
  static final String USER = "45ab2481-1c1c-4005-be24-0ffb879b1130";

  @Test
  void of_validParts_keepsThemTrimmed() {
    TeamsTokenRequest r = TeamsTokenRequest.of(" " + ENTRA + " ", APP, " " + USER);

    assertThat(r.entraToken()).isEqualTo(ENTRA);
    assertThat(r.appId()).isEqualTo(APP);
    assertThat(r.userId()).isEqualTo(USER);
  }

  @Test
  void toString_redactsTheEntraToken() {
    TeamsTokenRequest r = TeamsTokenRequest.of(ENTRA, APP, USER);

    assertThat(r.toString())
        .doesNotContain(ENTRA)
        .doesNotContain(Jwts.SIGNATURE)
        .contains("appId=" + APP)
        .contains("userId=" + USER)
        .contains("(" + ENTRA.length() + " chars)");
  }

  @Test
  void of_blankToken_throws() {
    assertThatThrownBy(() -> TeamsTokenRequest.of(" ", APP, USER))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the Entra token must not be null or blank");
    assertThatThrownBy(() -> TeamsTokenRequest.of(null, APP, USER))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the Entra token must not be null or blank");
  }

  @Test
  void of_idsNotGuids_throwNamingTheFieldAndNeverTheToken() {
    assertThatThrownBy(() -> TeamsTokenRequest.of(ENTRA, "my-app", USER))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("appId is not a GUID (a value of 6 characters); expected 8-4-4-4-12 hex digits")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(ENTRA));
    assertThatThrownBy(() -> TeamsTokenRequest.of(ENTRA, APP, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("userId must not be null or blank; expected a GUID");
  }

  @Test
  void of_swappedArguments_neverEchoTheToken() {
    // the Entra token given where the ids go, the ids where the token goes
    assertThatThrownBy(() -> TeamsTokenRequest.of(APP, ENTRA, USER))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("appId is not a GUID")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(ENTRA));
    assertThatThrownBy(() -> TeamsTokenRequest.of(APP, USER, ENTRA))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("userId is not a GUID")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(ENTRA));
  }

  @Test
  void of_blankUserId_throws() {
    assertThatThrownBy(() -> TeamsTokenRequest.of(ENTRA, APP, ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("userId must not be null or blank; expected a GUID");
    assertThatThrownBy(() -> TeamsTokenRequest.of(ENTRA, APP, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("userId must not be null or blank; expected a GUID");
  }
}
