package dev.acstoken.cli;

import dev.acstoken.core.AccessToken;
import dev.acstoken.core.TeamsTokenRequest;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code acs-token teams exchange --token - --app-id ... --user-id ...}. */
@Command(
    name = "teams",
    mixinStandardHelpOptions = true,
    description = "Teams users: exchange an Entra token for an ACS token.",
    subcommands = {TeamsCommand.Exchange.class})
final class TeamsCommand implements Callable<Integer> {

  @ParentCommand AcsTokenCommand root;

  @Override
  public Integer call() {
    throw new UsageException("teams needs a subcommand: exchange");
  }

  /** {@code acs-token teams exchange}. */
  @Command(
      name = "exchange",
      mixinStandardHelpOptions = true,
      description = "Exchange a Teams user's Entra token for an ACS token.")
  static final class Exchange implements Callable<Integer> {
    @ParentCommand TeamsCommand parent;

    @Option(
        names = "--token",
        required = true,
        paramLabel = "<token>",
        description =
            "The Entra token, or - to read it from standard input (keeps it out of the process list)")
    String token;

    @Option(
        names = "--app-id",
        required = true,
        paramLabel = "<guid>",
        description = "The Entra application (client) id")
    String appId;

    @Option(
        names = "--user-id",
        required = true,
        paramLabel = "<guid>",
        description = "The Teams user's Entra object id")
    String userId;

    @Option(
        names = "--show-token",
        description = "Print the whole ACS token (for piping); it is a secret")
    boolean showToken;

    @Override
    public Integer call() {
      AcsTokenCommand root = parent.root;
      TeamsTokenRequest request =
          TeamsTokenRequest.of(root.valueOrStdin(token, "--token"), appId, userId);
      AccessToken acs = root.call("exchanging the token", c -> c.exchangeTeamsTokenAsync(request));
      if (root.json()) {
        root.out.println(
            Json.object()
                .put("expiresOn", acs.expiresAt().toString())
                .put("token", showToken ? acs.value() : acs.redacted()));
      } else if (showToken) {
        root.err.println("Exchanged the Teams token; the ACS token expires at " + acs.expiresAt());
        root.out.println(acs.value());
      } else {
        root.out.println("Exchanged the Teams token; the ACS token expires at " + acs.expiresAt());
        root.out.println("Token: " + acs.redacted() + " (--show-token prints it whole)");
      }
      return ExitCode.SUCCESS;
    }
  }
}
