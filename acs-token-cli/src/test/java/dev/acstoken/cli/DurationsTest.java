package dev.acstoken.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {

  @Test
  void format_mixedUnits_writtenAsPeopleWriteThem() {
    assertThat(Durations.format(Duration.ofMinutes(90))).isEqualTo("1h30m");
    assertThat(Durations.format(Duration.ofSeconds(5))).isEqualTo("5s");
    assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1s500ms");
    assertThat(Durations.format(Duration.ZERO)).isEqualTo("0s");
  }

  @Test
  void humanize_isoDurationsInAMessage_rewritten() {
    assertThat(Durations.humanize("got no answer within PT5S; at most PT10M, not PT1H30M."))
        .isEqualTo("got no answer within 5s; at most 10m, not 1h30m.");
    assertThat(Durations.humanize("SPT5S stays")).isEqualTo("SPT5S stays");
  }

  @Test
  void parse_hugeValues_tooLongRatherThanAnOverflow() {
    assertThatThrownBy(() -> Durations.parse("9223372036854775807h"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("'9223372036854775807h' is too long a duration");
    assertThatThrownBy(() -> Durations.parse("99999999999999999999999s"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is too long a duration");
    assertThatThrownBy(() -> Durations.parse("PT9999999999999H"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
