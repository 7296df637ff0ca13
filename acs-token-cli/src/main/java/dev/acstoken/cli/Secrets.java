package dev.acstoken.cli;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Keeps secrets out of error messages: a value that looks like a connection string, an access key
 * or a JWT is replaced by {@code <redacted>} wherever it appears, so that a misplaced argument (a
 * connection string given as an identity id, a key given to {@code --scopes}) is never echoed.
 */
final class Secrets {

  static final String REDACTED = "<redacted>";

  /** A JWT (access or Entra token): three base64url parts, the first a JSON object. */
  private static final Pattern JWT =
      Pattern.compile("eyJ[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]+(?:\\.[A-Za-z0-9_-]*)?");

  /** A connection string, or any part of one that holds the key. */
  private static final Pattern CONNECTION_STRING =
      Pattern.compile("(?i)(?:endpoint=[^\\s'\"]*;\\s*)?accesskey=[^\\s'\"]*");

  /**
   * A base64 key: at least 32 characters of the base64 alphabet with upper and lower case letters
   * and digits (an ACS key has 88); paths, ids and words do not look like that.
   */
  private static final Pattern KEY =
      Pattern.compile(
          "(?<![A-Za-z0-9+/=])(?=[A-Za-z0-9+/]*[0-9])(?=[A-Za-z0-9+/]*[A-Z])"
              + "(?=[A-Za-z0-9+/]*[a-z])[A-Za-z0-9+/]{32,}={0,2}");

  private Secrets() {}

  /** {@return whether a command-line value looks like a secret} */
  static boolean looksSecret(String value) {
    String v = value.trim();
    return v.toLowerCase(Locale.ROOT).contains("accesskey=")
        || JWT.matcher(v).find()
        || KEY.matcher(v).find();
  }

  /**
   * Returns a message with every secret-looking value removed: the command-line arguments (and the
   * values of {@code --option=value} arguments) that look like secrets, then anything in the
   * message shaped like a connection string, key or JWT.
   *
   * @param message the message
   * @param args the command line, whose values may be quoted in the message
   * @return the message, safe to print
   */
  static String redact(String message, String[] args) {
    List<String> secrets = new ArrayList<>();
    for (String arg : args) {
      if (arg == null || arg.isEmpty()) {
        continue;
      }
      if (looksSecret(arg)) {
        secrets.add(arg);
        int eq = arg.indexOf('=');
        if (arg.startsWith("-") && eq > 0) {
          secrets.add(arg.substring(eq + 1));
        }
      }
    }
    // longest first, so that a value inside a longer one leaves no tail behind
    secrets.sort(Comparator.comparingInt(String::length).reversed());
    String m = message;
    for (String s : secrets) {
      m = m.replace(s, REDACTED);
      String trimmed = s.trim();
      if (!trimmed.isEmpty()) {
        m = m.replace(trimmed, REDACTED);
      }
    }
    m = CONNECTION_STRING.matcher(m).replaceAll(REDACTED);
    m = JWT.matcher(m).replaceAll(REDACTED);
    return KEY.matcher(m).replaceAll(REDACTED);
  }
}
