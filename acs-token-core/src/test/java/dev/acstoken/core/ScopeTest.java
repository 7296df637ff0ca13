package dev.acstoken.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ScopeTest {

  @ParameterizedTest
  @CsvSource({
    "chat, CHAT",
    "voip, VOIP",
    "chat.join, CHAT_JOIN",
    "chat.join.limited, CHAT_JOIN_LIMITED",
    "voip.join, VOIP_JOIN",
    "' VoIP ', VOIP",
    "CHAT.JOIN, CHAT_JOIN"
  })
  void fromWireName_knownName_returnsScopeIgnoringCaseAndBlanks(String name, Scope expected) {
    assertThat(Scope.fromWireName(name)).isEqualTo(expected);
  }

  @Test
  void wireName_everyScope_roundTripsAndIsToString() {
    for (Scope scope : Scope.values()) {
      assertThat(Scope.fromWireName(scope.wireName())).isEqualTo(scope);
      assertThat(scope).hasToString(scope.wireName());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "calling", "chat,voip", "voip.join.limited", "chat_join"})
  void fromWireName_unknownName_throwsListingAllowed(String name) {
    assertThatThrownBy(() -> Scope.fromWireName(name))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "unknown scope '"
                + name
                + "'; allowed: chat, voip, chat.join, chat.join.limited, voip.join");
  }

  @Test
  void fromWireName_null_throwsListingAllowed() {
    assertThatThrownBy(() -> Scope.fromWireName(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("allowed: chat, voip, chat.join, chat.join.limited, voip.join");
  }

  @Test
  void canonical_ordersAndDeduplicates_andCannotBeModified() {
    java.util.Set<Scope> set =
        Scope.canonical(java.util.List.of(Scope.VOIP, Scope.CHAT, Scope.VOIP));
    assertThat(set).containsExactly(Scope.CHAT, Scope.VOIP);
    assertThatThrownBy(() -> set.add(Scope.VOIP_JOIN))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void canonical_emptyOrNull_isRefusedNamingTheAllowedScopes() {
    assertThatThrownBy(() -> Scope.canonical(java.util.List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "at least one scope is required; allowed: chat, voip, chat.join, chat.join.limited, voip.join");
    assertThatThrownBy(() -> Scope.canonical(java.util.Arrays.asList(Scope.CHAT, null)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must not contain null");
  }
}
