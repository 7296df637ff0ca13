package dev.acstoken.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdentityIdTest {

  static final String RESOURCE = "2dee53b4-368b-45b4-ab52-8493fb117652";
  static final String ACS_ID = "8:acs:" + RESOURCE + "_00000005-14a2-493b-8a72-5a3a0d000081";

  @Test
  void of_acsUserId_isAcsUserWithItsResource() {
    IdentityId id = IdentityId.of(ACS_ID);

    assertThat(id.value()).isEqualTo(ACS_ID);
    assertThat(id.isAcsUser()).isTrue();
    assertThat(id.resourceId()).contains(RESOURCE);
    assertThat(id).hasToString(ACS_ID);
  }

  @ParameterizedTest
  @ValueSource(strings = {"8:gcch-acs:", "8:dod-acs:"})
  void of_sovereignCloudUserId_isAcsUser(String prefix) {
    IdentityId id = IdentityId.of(prefix + RESOURCE + "_00000005-14a2-493b-8a72-5a3a0d000081");

    assertThat(id.isAcsUser()).isTrue();
    assertThat(id.resourceId()).contains(RESOURCE);
  }

  @Test
  void of_upperCaseResource_reportsResourceInLowerCaseAndKeepsValue() {
    String value = "8:acs:" + RESOURCE.toUpperCase() + "_00000005-14A2-493B-8A72-5A3A0D000081";

    IdentityId id = IdentityId.of(value);

    assertThat(id.value()).isEqualTo(value);
    assertThat(id.resourceId()).contains(RESOURCE);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "8:spool:3b1b8c3e-5e1a-4b0c-9f0e-1c2d3e4f5a6b",
        "8:orgid:45ab2481-1c1c-4005-be24-0ffb879b1130",
        "8:gcch:45ab2481-1c1c-4005-be24-0ffb879b1130",
        "8:dod:45ab2481-1c1c-4005-be24-0ffb879b1130",
        "8:teamsvisitor:45ab24811c1c4005be240ffb879b1130",
        "4:+14255550123",
        "28:45ab2481-1c1c-4005-be24-0ffb879b1130"
      })
  void of_otherServiceIds_acceptedAsOpaque(String value) {
    IdentityId id = IdentityId.of(value);

    assertThat(id.value()).isEqualTo(value);
    assertThat(id.isAcsUser()).isFalse();
    assertThat(id.resourceId()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "8:acs:",
        "8:acs:" + RESOURCE,
        "8:acs:" + RESOURCE + "_",
        "8:acs:" + RESOURCE + "_123",
        "8:acs:not-a-guid_00000005-14a2-493b-8a72-5a3a0d000081",
        "8:acs:" + RESOURCE + "_00000005-14a2-493b-8a72-5a3a0d000081x",
        "8:gcch-acs:" + RESOURCE,
        "8:dod-acs:" + RESOURCE + "-00000005-14a2-493b-8a72-5a3a0d000081"
      })
  void of_malformedAcsUserId_throwsNamingTheExpectedForm(String value) {
    assertThatThrownBy(() -> IdentityId.of(value))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a valid ACS user id")
        .hasMessageContaining("8:acs:<resource guid>_<8-4-4-4-12 hex id>");
  }

  @Test
  void of_null_throws() {
    assertThatThrownBy(() -> IdentityId.of(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("identity id must not be null");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "\t\n"})
  void of_blank_throws(String value) {
    assertThatThrownBy(() -> IdentityId.of(value))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("identity id must not be blank");
  }

  @ParameterizedTest
  @ValueSource(strings = {" " + ACS_ID, ACS_ID + "\n", "8:spool:a b", "8:spool:a\u0000b"})
  void of_whitespaceOrControlCharacters_throwsWithIndex(String value) {
    assertThatThrownBy(() -> IdentityId.of(value))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("whitespace or control characters (at index");
  }

  @Test
  void of_tooLong_throwsWithLength() {
    String value = "8:spool:" + "a".repeat(600);

    assertThatThrownBy(() -> IdentityId.of(value))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("identity id is 608 characters long; at most 512 allowed");
  }

  @Test
  void equals_sameValue_equalAndSameHash() {
    assertThat(IdentityId.of(ACS_ID)).isEqualTo(IdentityId.of(ACS_ID));
    assertThat(IdentityId.of(ACS_ID)).hasSameHashCodeAs(IdentityId.of(ACS_ID));
    assertThat(IdentityId.of(ACS_ID)).isNotEqualTo(IdentityId.of("8:spool:x"));
    assertThat(IdentityId.of(ACS_ID)).isNotEqualTo(ACS_ID);
  }

  @Test
  void compareTo_ordersByValue() {
    assertThat(IdentityId.of("8:spool:a")).isLessThan(IdentityId.of("8:spool:b"));
    assertThat(IdentityId.of("8:spool:a").compareTo(IdentityId.of("8:spool:a"))).isZero();
  }
}
