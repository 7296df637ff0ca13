package dev.acstoken.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The one check of app user ids that every directory applies. */
class IdentityDirectoryTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "alice",
        "alice@example.com",
        "auth0|5f7c8ec7c33c6c004bbafe82",
        "00000000-0000-0000-0000-000000000001",
        "Zoë",
        "用户42",
        "a!#$%&'()*+,-./:;<=>?@[]^_`{|}~"
      })
  void checkAppUserId_whenAllowed_returnsItUnchanged(String id) {
    assertThat(IdentityDirectory.checkAppUserId(id)).isSameAs(id);
  }

  @Test
  void checkAppUserId_whenLongest_isAllowed() {
    String id = "x".repeat(IdentityDirectory.MAX_APP_USER_ID_LENGTH);

    assertThat(IdentityDirectory.checkAppUserId(id)).isEqualTo(id);
  }

  @Test
  void checkAppUserId_whenTooLong_namesLengthAndLimit() {
    assertThatThrownBy(() -> IdentityDirectory.checkAppUserId("x".repeat(257)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("app user id is 257 characters long; at most 256 allowed");
  }

  @Test
  void checkAppUserId_whenNullOrEmpty_saysSo() {
    assertThatThrownBy(() -> IdentityDirectory.checkAppUserId(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("app user id must not be null");
    assertThatThrownBy(() -> IdentityDirectory.checkAppUserId(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must not be empty")
        .hasMessageContaining("1 to 256");
  }

  @ParameterizedTest
  @ValueSource(strings = {"secret person", "tab\tbed", "new\nline", "nul\u0000", "nbsp\u00a0x"})
  void checkAppUserId_whenBadCharacter_namesPositionButNotTheId(String id) {
    assertThatThrownBy(() -> IdentityDirectory.checkAppUserId(id))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not allowed at index")
        .hasMessageContaining("U+")
        .hasMessageNotContaining(id.substring(0, 3));
  }

  @Test
  void checkAppUserId_whenSpace_givesIndexAndCode() {
    assertThatThrownBy(() -> IdentityDirectory.checkAppUserId("ab c"))
        .hasMessageStartingWith(
            "app user id has a character that is not allowed at index 2 (U+0020)");
  }
}
