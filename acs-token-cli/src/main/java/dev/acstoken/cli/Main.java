package dev.acstoken.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import picocli.CommandLine;

/**
 * The entry point of {@code acs-token}: parses the command line, runs the command and exits with
 * one of the {@link ExitCode}s.
 */
public final class Main {

  private Main() {}

  /**
   * Runs {@code acs-token} and exits the JVM with its exit code.
   *
   * @param args the command line
   */
  public static void main(String[] args) {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    PrintStream err = new PrintStream(System.err, true, StandardCharsets.UTF_8);
    // Standard output carries results only (JSON, a token for a pipe). Anything else that writes
    // to System.out, such as the Azure SDK's own logger when AZURE_LOG_LEVEL is set, goes to
    // standard error instead.
    System.setOut(err);
    System.exit(run(args, System.in, out, err, System.getenv()));
  }

  /**
   * Runs {@code acs-token} in this JVM, with the given streams and environment, and returns its
   * exit code; for tests and for embedding.
   *
   * @param args the command line
   * @param in standard input (for {@code -} arguments)
   * @param out standard output
   * @param err standard error
   * @param env the environment ({@code ACS_CONNECTION_STRING} is read from it)
   * @return the exit code, see {@link ExitCode}
   */
  public static int run(
      String[] args, InputStream in, PrintStream out, PrintStream err, Map<String, String> env) {
    AcsTokenCommand root = new AcsTokenCommand(in, out, err, env);
    root.args = args.clone();
    return commandLine(root, out, err).execute(args);
  }

  /** {@return the command line of a root command, as {@link #run} executes it} */
  static CommandLine commandLine(AcsTokenCommand root, PrintStream out, PrintStream err) {
    CommandLine cl = new CommandLine(root);
    EmulatorCommand.dropClientOptions(cl.getSubcommands().get("emulator"));
    cl.setOut(new java.io.PrintWriter(out, true));
    cl.setErr(new java.io.PrintWriter(err, true));
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setExecutionExceptionHandler(new ErrorHandler(root));
    cl.setParameterExceptionHandler(
        (ex, a) -> {
          root.printUsageError(ex.getMessage(), ex.getCommandLine());
          return ExitCode.USAGE;
        });
    return cl;
  }
}
