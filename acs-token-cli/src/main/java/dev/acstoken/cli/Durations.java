package dev.acstoken.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses and prints human durations: {@code 90m}, {@code 1h}, {@code 1h30m}, {@code 45s}, and
 * ISO-8601 ({@code PT2H}) on input.
 */
final class Durations {
  private static final Pattern HUMAN = Pattern.compile("^(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?$");

  /** Far beyond any duration the tool accepts, and far from overflowing a {@link Duration}. */
  private static final Duration LONGEST = Duration.ofDays(365 * 100L);

  private Durations() {}

  static Duration parse(String text) {
    String s = text.trim().toLowerCase(Locale.ROOT);
    Duration d;
    try {
      d = s.startsWith("p") ? Duration.parse(s.toUpperCase(Locale.ROOT)) : human(s, text);
    } catch (DateTimeParseException e) {
      throw notADuration(text);
    } catch (ArithmeticException | NumberFormatException e) {
      // digits too many for a long, or a sum that overflows a Duration
      throw tooLong(text);
    }
    if (d.abs().compareTo(LONGEST) > 0) {
      throw tooLong(text);
    }
    return d;
  }

  private static Duration human(String s, String text) {
    Matcher m = HUMAN.matcher(s);
    if (s.isEmpty() || !m.matches()) {
      throw notADuration(text);
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

  private static IllegalArgumentException tooLong(String text) {
    return new IllegalArgumentException("'" + text.trim() + "' is too long a duration");
  }

  private static IllegalArgumentException notADuration(String text) {
    return new IllegalArgumentException(
        "'" + text.trim() + "' is not a duration; use e.g. 90m, 1h, 1h30m, 45s or PT1H");
  }

  private static final Pattern ISO =
      Pattern.compile(
          "(?<![A-Za-z0-9])-?PT(?=[0-9])(?:[0-9]+H)?(?:[0-9]+M)?(?:[0-9]+(?:\\.[0-9]+)?S)?"
              + "(?![A-Za-z0-9])");

  /**
   * Rewrites the ISO-8601 durations in a message (as {@link Duration#toString()} wrote them in the
   * library's messages, e.g. {@code within PT5S}) as people write them ({@code within 5s}).
   */
  static String humanize(String message) {
    Matcher m = ISO.matcher(message);
    StringBuilder b = new StringBuilder();
    while (m.find()) {
      String replacement;
      try {
        replacement = format(Duration.parse(m.group()));
      } catch (DateTimeParseException e) {
        replacement = m.group();
      }
      m.appendReplacement(b, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(b);
    return b.toString();
  }

  /**
   * Formats a duration as people write it: {@code 1h30m}, {@code 45s}, {@code 500ms}; not {@code
   * PT1H30M}.
   */
  static String format(Duration d) {
    if (d.isZero()) {
      return "0s";
    }
    if (d.isNegative()) {
      return "-" + format(d.negated());
    }
    StringBuilder b = new StringBuilder();
    long h = d.toHours();
    if (h > 0) {
      b.append(h).append('h');
    }
    if (d.toMinutesPart() > 0) {
      b.append(d.toMinutesPart()).append('m');
    }
    if (d.toSecondsPart() > 0) {
      b.append(d.toSecondsPart()).append('s');
    }
    if (d.toMillisPart() > 0) {
      b.append(d.toMillisPart()).append("ms");
    }
    return b.length() == 0 ? "less than 1ms" : b.toString();
  }
}
