package dev.acstoken.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TokenLifetimeTest {

  @ParameterizedTest
  @ValueSource(longs = {60, 61, 90, 720, 1439, 1440})
  void ofMinutes_inRange_keepsMinutes(long minutes) {
    TokenLifetime lifetime = TokenLifetime.ofMinutes(minutes);

    assertThat(lifetime.toMinutes()).isEqualTo(minutes);
    assertThat(lifetime.toDuration()).isEqualTo(Duration.ofMinutes(minutes));
  }

  @ParameterizedTest
  @ValueSource(longs = {Long.MIN_VALUE, -60, 0, 1, 59, 1441, 10_000, Long.MAX_VALUE})
  void ofMinutes_outOfRange_throwsNamingRange(long minutes) {
    assertThatThrownBy(() -> TokenLifetime.ofMinutes(minutes))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "token lifetime of "
                + minutes
                + " minutes is out of range; allowed: 60 to 1440 minutes (1 to 24 hours)");
  }

  @Test
  void of_wholeHours_isThatManyMinutes() {
    assertThat(TokenLifetime.of(Duration.ofHours(1))).isEqualTo(TokenLifetime.MIN);
    assertThat(TokenLifetime.of(Duration.ofHours(24))).isEqualTo(TokenLifetime.MAX);
    assertThat(TokenLifetime.of(Duration.ofMinutes(150)).toMinutes()).isEqualTo(150);
  }

  @Test
  void of_secondsOrNanos_throwsInsteadOfTruncatingLikeTheSdk() {
    assertThatThrownBy(() -> TokenLifetime.of(Duration.ofMinutes(90).plusSeconds(30)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PT1H30M30S is not a whole number of minutes");
    assertThatThrownBy(() -> TokenLifetime.of(Duration.ofHours(2).plusNanos(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a whole number of minutes");
  }

  @Test
  void of_outOfRangeDuration_throws() {
    assertThatThrownBy(() -> TokenLifetime.of(Duration.ofMinutes(59)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("allowed: 60 to 1440 minutes");
    assertThatThrownBy(() -> TokenLifetime.of(Duration.ofDays(2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("allowed: 60 to 1440 minutes");
    assertThatThrownBy(() -> TokenLifetime.of(Duration.ofHours(-2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("allowed: 60 to 1440 minutes");
  }

  @Test
  void of_null_throws() {
    assertThatThrownBy(() -> TokenLifetime.of(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("token lifetime must not be null");
  }

  @Test
  void constants_matchTheServiceRange() {
    assertThat(TokenLifetime.MIN.toMinutes()).isEqualTo(60);
    assertThat(TokenLifetime.MAX.toMinutes()).isEqualTo(1440);
    assertThat(TokenLifetime.DEFAULT).isEqualTo(TokenLifetime.MAX);
  }

  @Test
  void equalsCompareToString_byMinutes() {
    assertThat(TokenLifetime.ofMinutes(90)).isEqualTo(TokenLifetime.of(Duration.ofMinutes(90)));
    assertThat(TokenLifetime.ofMinutes(90)).hasSameHashCodeAs(TokenLifetime.ofMinutes(90));
    assertThat(TokenLifetime.ofMinutes(60)).isLessThan(TokenLifetime.ofMinutes(61));
    assertThat(TokenLifetime.ofMinutes(90)).hasToString("PT1H30M");
  }
}
