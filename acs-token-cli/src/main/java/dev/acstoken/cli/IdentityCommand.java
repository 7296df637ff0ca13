package dev.acstoken.cli;

import dev.acstoken.core.IdentityId;
import dev.acstoken.core.azure.AcsIdentityClient;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code acs-token identity create|delete}. */
@Command(
    name = "identity",
    mixinStandardHelpOptions = true,
    description = "Create and delete ACS identities.",
    subcommands = {IdentityCommand.Create.class, IdentityCommand.Delete.class})
final class IdentityCommand implements Callable<Integer> {

  @ParentCommand AcsTokenCommand root;

  @Override
  public Integer call() {
    throw new UsageException("identity needs a subcommand: create or delete");
  }

  /** {@code acs-token identity create}. */
  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = "Create an identity; prints its id.")
  static final class Create implements Callable<Integer> {
    @ParentCommand IdentityCommand parent;

    @Override
    public Integer call() {
      AcsTokenCommand root = parent.root;
      IdentityId id = root.call("creating an identity", AcsIdentityClient::createIdentityAsync);
      root.print(Json.object().put("identity", id.value()), id.value());
      return ExitCode.SUCCESS;
    }
  }

  /** {@code acs-token identity delete <id>}. */
  @Command(
      name = "delete",
      mixinStandardHelpOptions = true,
      description = "Delete an identity and revoke its tokens.")
  static final class Delete implements Callable<Integer> {
    @ParentCommand IdentityCommand parent;

    @Parameters(paramLabel = "<id>", description = "The identity id, e.g. 8:acs:<resource>_<id>")
    String id;

    @Override
    public Integer call() {
      AcsTokenCommand root = parent.root;
      IdentityId identity = TokenCommand.acsUser(id);
      root.call("deleting the identity", c -> c.deleteIdentityAsync(identity));
      root.print(
          Json.object().put("identity", identity.value()).put("deleted", true),
          "Deleted the identity with ID: " + identity.value());
      return ExitCode.SUCCESS;
    }
  }
}
