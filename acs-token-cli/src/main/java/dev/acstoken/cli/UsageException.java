package dev.acstoken.cli;

/** A value on the command line that parses but is not allowed; exit code 2. */
final class UsageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  UsageException(String message) {
    super(message);
  }
}
