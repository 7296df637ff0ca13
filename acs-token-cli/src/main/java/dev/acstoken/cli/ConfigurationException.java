package dev.acstoken.cli;

/** Missing or invalid configuration (connection string, CA certificate); exit code 3. */
final class ConfigurationException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  ConfigurationException(String message) {
    super(message);
  }
}
