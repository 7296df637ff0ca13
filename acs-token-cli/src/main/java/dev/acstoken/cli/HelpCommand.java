package dev.acstoken.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code acs-token help [command [subcommand ...]]}: the help of the command named by the whole
 * path ({@code help token issue} is the help of {@code token issue}, not of {@code token}).
 */
@Command(
    name = "help",
    helpCommand = true,
    description = "Show the help of a command, e.g. help token issue.")
final class HelpCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "<command>", arity = "0..*", description = "The command path")
  List<String> path = new ArrayList<>();

  @Override
  public Integer call() {
    CommandLine command = spec.parent().commandLine();
    for (String name : path) {
      CommandLine sub = command.getSubcommands().get(name);
      if (sub == null) {
        throw new UsageException(
            "help: unknown command '"
                + name
                + "' of '"
                + command.getCommandSpec().qualifiedName()
                + "'; commands: "
                + String.join(", ", command.getSubcommands().keySet()));
      }
      command = sub;
    }
    command.usage(spec.commandLine().getOut());
    return ExitCode.SUCCESS;
  }
}
