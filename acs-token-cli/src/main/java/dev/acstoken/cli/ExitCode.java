package dev.acstoken.cli;

/** The exit codes of {@code acs-token}, documented in the README. */
public final class ExitCode {
  /** The command did what was asked. */
  public static final int SUCCESS = 0;

  /** The command line was wrong: unknown flag, missing argument, malformed value. */
  public static final int USAGE = 2;

  /** Configuration or authentication failed: no or bad connection string, key refused. */
  public static final int CONFIGURATION = 3;

  /** The service answered with an error (bad request, not found, throttled, 5xx). */
  public static final int SERVICE = 4;

  /** The service could not be reached or did not answer in time. */
  public static final int NETWORK = 5;

  private ExitCode() {}
}
