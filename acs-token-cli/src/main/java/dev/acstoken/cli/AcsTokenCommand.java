package dev.acstoken.cli;

import com.azure.core.http.HttpClient;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.http.policy.ExponentialBackoff;
import com.azure.core.http.policy.ExponentialBackoffOptions;
import com.azure.core.http.policy.RetryOptions;
import dev.acstoken.core.azure.AcsIdentityClient;
import dev.acstoken.core.azure.ConnectionString;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The root command: global options and what every subcommand shares. */
@Command(
    name = "acs-token",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    versionProvider = AcsTokenCommand.Version.class,
    description = "Azure Communication Services identities and access tokens.",
    subcommands = {
      QuickstartCommand.class,
      IdentityCommand.class,
      TokenCommand.class,
      TeamsCommand.class,
      EmulatorCommand.class,
      DirectoryCommand.class,
      HelpCommand.class
    },
    footerHeading = "%nExit codes:%n",
    footer = {
      "  0  success",
      "  2  usage error (unknown flag, malformed value)",
      "  3  configuration or authentication error",
      "  4  service error",
      "  5  network error or timeout",
      "",
      "Connection string: --connection-string-file <file> (- for standard input),",
      "else the environment variable ACS_CONNECTION_STRING, else --connection-string",
      "(which other users of this machine can read in the process list)."
    })
final class AcsTokenCommand implements Callable<Integer> {

  /** Output formats. */
  enum Format {
    text,
    json
  }

  @Option(
      names = "--connection-string-file",
      scope = ScopeType.INHERIT,
      paramLabel = "<file>",
      description = "Read the ACS connection string from this file, or from standard input with -")
  @Nullable String connectionStringFile;

  @Option(
      names = "--connection-string",
      scope = ScopeType.INHERIT,
      paramLabel = "<cs>",
      description =
          "ACS connection string; visible in the process list, prefer --connection-string-file or $ACS_CONNECTION_STRING")
  @Nullable String connectionString;

  @Option(
      names = "--ca-cert",
      scope = ScopeType.INHERIT,
      paramLabel = "<file.pem>",
      description = "Trust this PEM certificate (e.g. the emulator's) for this command only")
  @Nullable Path caCert;

  @Option(
      names = {"-o", "--output"},
      scope = ScopeType.INHERIT,
      paramLabel = "<format>",
      description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
  Format output = Format.text;

  @Option(
      names = "--timeout",
      scope = ScopeType.INHERIT,
      paramLabel = "<duration>",
      description = "Per-call timeout, e.g. 30s, 2m (default: 30s)")
  @Nullable String timeout;

  @Option(
      names = "--max-retries",
      scope = ScopeType.INHERIT,
      paramLabel = "<n>",
      description = "Retries of a failed call (429, 5xx, network), 0 to 10 (default: 3)")
  int maxRetries = 3;

  @Option(
      names = {"-v", "--verbose"},
      scope = ScopeType.INHERIT,
      description = "Show stack traces of errors")
  boolean verbose;

  /** The command line as given, to keep its secret-looking values out of error messages. */
  String[] args = new String[0];

  /** Whether standard input was already read, so two arguments cannot both claim it. */
  private boolean stdinUsed;

  final InputStream in;
  final PrintStream out;
  final PrintStream err;
  final Map<String, String> env;

  AcsTokenCommand(InputStream in, PrintStream out, PrintStream err, Map<String, String> env) {
    this.in = in;
    this.out = out;
    this.err = err;
    this.env = env;
  }

  @Override
  public Integer call() {
    new CommandLine(this).usage(out);
    return ExitCode.USAGE;
  }

  boolean json() {
    return output == Format.json;
  }

  /**
   * {@return the connection string from --connection-string-file, --connection-string or the
   * environment, or throws exit code 3}
   */
  ConnectionString connectionString() {
    if (connectionStringFile != null && connectionString != null) {
      throw new UsageException(
          "--connection-string-file and --connection-string both given; use one of them");
    }
    String value;
    String source;
    if (connectionStringFile != null) {
      value = readConnectionStringFile(connectionStringFile);
      source = "--connection-string-file " + connectionStringFile;
    } else {
      value = connectionString;
      source = "--connection-string";
    }
    if (value == null || value.isBlank()) {
      value = env.get(ConnectionString.ENVIRONMENT_VARIABLE);
      source = "environment variable " + ConnectionString.ENVIRONMENT_VARIABLE;
    }
    if (value == null || value.isBlank()) {
      throw new ConfigurationException(
          "no connection string: pass --connection-string-file <file> (- for standard input) or"
              + " set "
              + ConnectionString.ENVIRONMENT_VARIABLE
              + " (endpoint=https://<resource>.communication.azure.com/;accesskey=<key>)");
    }
    try {
      return ConnectionString.parse(value);
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException(source + ": " + e.getMessage());
    }
  }

  private String readConnectionStringFile(String file) {
    if ("-".equals(file)) {
      String value = readStdin("--connection-string-file -");
      if (value.isEmpty()) {
        throw new ConfigurationException("--connection-string-file -: standard input was empty");
      }
      return value;
    }
    try {
      String value = Files.readString(Path.of(file), StandardCharsets.UTF_8).trim();
      if (value.isEmpty()) {
        throw new ConfigurationException("--connection-string-file " + file + " is empty");
      }
      return value;
    } catch (IOException | java.nio.file.InvalidPathException e) {
      throw new ConfigurationException(
          "--connection-string-file " + file + " cannot be read: " + describe(e));
    }
  }

  private static String describe(Exception e) {
    return e instanceof java.nio.file.NoSuchFileException
        ? "no such file"
        : e instanceof java.nio.file.AccessDeniedException
            ? "permission denied"
            : String.valueOf(e.getMessage());
  }

  /** {@return whether a connection string is configured (flags or environment)} */
  boolean hasConnectionString() {
    String env0 = env.get(ConnectionString.ENVIRONMENT_VARIABLE);
    return connectionStringFile != null
        || (connectionString != null && !connectionString.isBlank())
        || (env0 != null && !env0.isBlank());
  }

  /** The longest --timeout core's client accepts. */
  private static final Duration MAX_TIMEOUT = Duration.ofMinutes(10);

  Duration timeout() {
    if (timeout == null) {
      return AcsIdentityClient.DEFAULT_TIMEOUT;
    }
    Duration d;
    try {
      d = Durations.parse(timeout);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--timeout: " + e.getMessage());
    }
    if (d.isZero() || d.isNegative() || d.compareTo(MAX_TIMEOUT) > 0) {
      throw new UsageException(
          "--timeout "
              + timeout.trim()
              + " is out of range; allowed: more than 0s, at most "
              + Durations.format(MAX_TIMEOUT));
    }
    return d;
  }

  /** Builds a client of the configured connection string. */
  AcsIdentityClient client() {
    // flags first: a usage error is reported before a configuration error
    Duration callTimeout = timeout();
    RetryOptions retries = retryOptions();
    ConnectionString cs = connectionString();
    AcsIdentityClient.Builder b =
        AcsIdentityClient.builder().connectionString(cs).timeout(callTimeout).retryOptions(retries);
    HttpClient http = httpClient();
    if (http != null) {
      b.httpClient(http);
    }
    return b.build();
  }

  /**
   * The SDK's exponential retry, with --max-retries attempts; a TLS failure (an untrusted
   * certificate) is not retried, since it fails the same way every time.
   */
  RetryOptions retryOptions() {
    if (maxRetries < 0 || maxRetries > 10) {
      throw new UsageException(
          "--max-retries " + maxRetries + " is out of range; allowed: 0 to 10");
    }
    ExponentialBackoffOptions backoff = new ExponentialBackoffOptions().setMaxRetries(maxRetries);
    ExponentialBackoff strategy = new ExponentialBackoff(backoff);
    return new RetryOptions(backoff)
        .setShouldRetryCondition(
            c ->
                ErrorHandler.tlsFailure(c.getThrowable()) == null
                    && strategy.shouldRetryCondition(c));
  }

  /**
   * Runs one service call with a client of the configured resource, showing progress on standard
   * error (in text mode) when it takes more than a second.
   */
  <T> T call(String label, Function<AcsIdentityClient, CompletableFuture<T>> operation) {
    AcsIdentityClient client = client();
    return Progress.during(err, !json(), label, () -> operation.apply(client));
  }

  /** Prints a command's result: the JSON object with {@code -o json}, else the text. */
  void print(Json json, String text) {
    out.println(json() ? json.toString() : text);
  }

  /** {@return an HTTP client that trusts --ca-cert, or null for the default} */
  @Nullable HttpClient httpClient() {
    if (caCert == null) {
      return null;
    }
    return httpClientTrusting(readCertificates(caCert));
  }

  static HttpClient httpClientTrusting(Collection<? extends Certificate> certificates) {
    try {
      KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
      ks.load(null, null);
      int i = 0;
      for (Certificate c : certificates) {
        ks.setCertificateEntry("ca-" + i++, c);
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(ks);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return new JdkHttpClientBuilder(java.net.http.HttpClient.newBuilder().sslContext(ctx))
          .build();
    } catch (GeneralSecurityException | IOException e) {
      throw new ConfigurationException("cannot use the CA certificate: " + e.getMessage());
    }
  }

  static Collection<? extends Certificate> readCertificates(Path pem) {
    try {
      byte[] bytes = Files.readAllBytes(pem);
      Collection<? extends Certificate> certs =
          CertificateFactory.getInstance("X.509")
              .generateCertificates(new ByteArrayInputStream(bytes));
      if (certs.isEmpty()) {
        throw new ConfigurationException("--ca-cert " + pem + " holds no certificate");
      }
      return certs;
    } catch (IOException e) {
      throw new ConfigurationException("--ca-cert " + pem + " cannot be read: " + e.getMessage());
    } catch (GeneralSecurityException e) {
      throw new ConfigurationException(
          "--ca-cert " + pem + " is not a PEM certificate: " + e.getMessage());
    }
  }

  /** Reads a value given on the command line, or all of standard input when it is "-". */
  String valueOrStdin(@Nullable String value, String what) {
    if (value == null || "-".equals(value)) {
      String s = readStdin(what);
      if (s.isEmpty()) {
        throw new UsageException(what + ": standard input was empty");
      }
      return s;
    }
    return value.trim();
  }

  private String readStdin(String what) {
    if (stdinUsed || ("-".equals(connectionStringFile) && !what.startsWith("--connection"))) {
      throw new UsageException(
          what
              + ": standard input already feeds --connection-string-file -; give one of them"
              + " another way");
    }
    stdinUsed = true;
    try {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      throw new UsageException(what + ": cannot read standard input: " + e.getMessage());
    }
  }

  void printError(
      String message,
      @Nullable String errorCode,
      @Nullable Integer status,
      int exitCode,
      Throwable ex) {
    message = Durations.humanize(Secrets.redact(message, args));
    if (json()) {
      out.println(
          Json.object()
              .put(
                  "error",
                  Json.object()
                      .put("message", message)
                      .put("code", errorCode)
                      .put("status", status)
                      .put("exitCode", exitCode)));
    } else {
      err.println("error: " + message);
    }
    if (verbose) {
      // the stack trace repeats the messages: the same redaction applies to it
      java.io.StringWriter trace = new java.io.StringWriter();
      ex.printStackTrace(new java.io.PrintWriter(trace));
      err.print(Secrets.redact(trace.toString(), args));
    }
  }

  void printUsageError(String message, CommandLine cl) {
    message = Secrets.redact(message, args);
    if (json()) {
      out.println(
          Json.object()
              .put("error", Json.object().put("message", message).put("exitCode", ExitCode.USAGE)));
    } else {
      err.println("error: " + message);
      err.println("Try '" + cl.getCommandSpec().qualifiedName() + " --help' for usage.");
    }
  }

  /** The version line of --version: the project version the build wrote into the jar. */
  static final class Version implements CommandLine.IVersionProvider {
    /** The resource the build filters with the project's version. */
    static final String RESOURCE = "/dev/acstoken/cli/version.properties";

    @Override
    public String[] getVersion() {
      return new String[] {"acs-token " + version()};
    }

    static String version() {
      java.util.Properties p = new java.util.Properties();
      try (InputStream s = AcsTokenCommand.class.getResourceAsStream(RESOURCE)) {
        if (s != null) {
          p.load(s);
        }
      } catch (IOException e) {
        // fall through to the unknown version
      }
      String v = p.getProperty("version", "");
      return v.isEmpty() || v.startsWith("${") ? "(unknown version)" : v;
    }
  }
}
