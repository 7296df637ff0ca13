package dev.acstoken.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses human durations: {@code 90m}, {@code 1h}, {@code 1h30m}, {@code 45s}, {@code PT2H}. */
final class Durations {
  private static final Pattern HUMAN = Pattern.compile("^(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?$");

  private Durations() {}

  static Duration parse(String text) {
    String s = text.trim().toLowerCase(Locale.ROOT);
    if (s.startsWith("pt") || s.startsWith("p")) {
      try {
        return Duration.parse(s.toUpperCase(Locale.ROOT));
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException(
            "'" + text + "' is not a duration; use e.g. 90m, 1h, 1h30m, 45s or PT1H");
      }
    }
    Matcher m = HUMAN.matcher(s);
    if (s.isEmpty() || !m.matches()) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a duration; use e.g. 90m, 1h, 1h30m, 45s or PT1H");
    }
    Duration d = Duration.ZERO;
    if (m.group(1) != null) {
      d = d.plusHours(Long.parseLong(m.group(1)));
    }
    if (m.group(2) != null) {
      d = d.plusMinutes(Long.parseLong(m.group(2)));
    }
    if (m.group(3) != null) {
      d = d.plusSeconds(Long.parseLong(m.group(3)));
    }
    return d;
  }
}
