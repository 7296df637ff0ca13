package dev.acstoken.cli;

import dev.acstoken.core.error.AcsException;
import dev.acstoken.core.error.RequestTimeoutException;
import dev.acstoken.core.error.TransportException;
import dev.acstoken.core.error.UnauthorizedException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/** Turns what a command threw into one error line (or JSON object) and an exit code. */
final class ErrorHandler implements IExecutionExceptionHandler {

  private final AcsTokenCommand root;

  ErrorHandler(AcsTokenCommand root) {
    this.root = root;
  }

  @Override
  public int handleExecutionException(Exception ex, CommandLine cl, ParseResult parseResult) {
    int code = exitCode(ex);
    String errorCode =
        ex instanceof AcsException ? ((AcsException) ex).errorCode().orElse(null) : null;
    Integer status =
        ex instanceof AcsException && ((AcsException) ex).statusCode() != AcsException.NO_STATUS
            ? ((AcsException) ex).statusCode()
            : null;
    root.printError(
        ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage(),
        errorCode,
        status,
        code,
        ex);
    return code;
  }

  static int exitCode(Throwable ex) {
    if (ex instanceof ConfigurationException || ex instanceof UnauthorizedException) {
      return ExitCode.CONFIGURATION;
    }
    if (ex instanceof TransportException || ex instanceof RequestTimeoutException) {
      return ExitCode.NETWORK;
    }
    if (ex instanceof AcsException) {
      return ((AcsException) ex).statusCode() == AcsException.NO_STATUS
          ? ExitCode.NETWORK
          : ExitCode.SERVICE;
    }
    if (ex instanceof IllegalArgumentException || ex instanceof UsageException) {
      return ExitCode.USAGE;
    }
    return ExitCode.SERVICE;
  }
}
