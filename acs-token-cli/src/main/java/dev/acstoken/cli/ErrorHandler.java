package dev.acstoken.cli;

import dev.acstoken.core.error.AcsException;
import dev.acstoken.core.error.RequestTimeoutException;
import dev.acstoken.core.error.TransportException;
import dev.acstoken.core.error.UnauthorizedException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.security.cert.CertificateException;
import javax.net.ssl.SSLHandshakeException;
import org.jspecify.annotations.Nullable;
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
    String message = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
    if (tlsFailure(ex) != null) {
      code = ExitCode.CONFIGURATION;
      message = tlsMessage(ex);
    } else if (portInUse(ex)) {
      code = ExitCode.CONFIGURATION;
      Object command = cl.getCommand();
      String port =
          command instanceof EmulatorCommand ? " " + ((EmulatorCommand) command).port : "";
      message = "--port" + port + " is already in use; choose another port, or 0 for any free one";
    } else if (ex instanceof TransportException) {
      message = transportMessage(ex, message);
    }
    String errorCode =
        ex instanceof AcsException ? ((AcsException) ex).errorCode().orElse(null) : null;
    Integer status =
        ex instanceof AcsException && ((AcsException) ex).statusCode() != AcsException.NO_STATUS
            ? ((AcsException) ex).statusCode()
            : null;
    root.printError(message, errorCode, status, code, ex);
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

  /**
   * Returns the TLS failure in a chain of causes (an untrusted or invalid server certificate), or
   * null when there is none.
   */
  static @Nullable Throwable tlsFailure(@Nullable Throwable ex) {
    for (Throwable t = ex; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SSLHandshakeException || t instanceof CertificateException) {
        return t;
      }
    }
    return null;
  }

  private static String tlsMessage(Throwable ex) {
    String what = ex.getMessage() == null ? "" : ex.getMessage();
    int colon = what.indexOf(" could not reach ");
    String target = colon < 0 ? "the server" : what.substring(colon + " could not reach ".length());
    int end = target.indexOf(": ");
    target = end < 0 ? target : target.substring(0, end);
    return "TLS handshake with "
        + target
        + " failed: its certificate is not trusted. Pass --ca-cert <file.pem> to trust it (the"
        + " emulator writes its certificate with --cert-out)";
  }

  private static boolean portInUse(Throwable ex) {
    for (Throwable t = ex; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof BindException) {
        return true;
      }
    }
    return false;
  }

  /** Names what went wrong on the network in words, not as an exception's class name. */
  private static String transportMessage(Throwable ex, String message) {
    String words = null;
    for (Throwable t = ex.getCause(); t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof ConnectException) {
        words = "connection refused (is anything listening there?)";
        break;
      }
      if (t instanceof UnknownHostException) {
        words = "unknown host";
        break;
      }
      if (t instanceof ClosedChannelException) {
        words = "the connection was closed before an answer";
      }
    }
    if (words == null) {
      return message;
    }
    int colon = message.lastIndexOf(": ");
    return (colon < 0 ? message : message.substring(0, colon)) + ": " + words;
  }
}
