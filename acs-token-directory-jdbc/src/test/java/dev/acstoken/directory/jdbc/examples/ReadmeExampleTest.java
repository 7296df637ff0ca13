package dev.acstoken.directory.jdbc.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.acstoken.core.AccessToken;
import dev.acstoken.directory.jdbc.JdbcIdentityDirectory;
import dev.acstoken.testkit.FakeAcs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

/** The READMEs show the directory example as compiled, and the module README the real DDL. */
class ReadmeExampleTest {

  static final Path MODULE = Path.of("").toAbsolutePath();

  @Test
  void example_runs_andForgetDeletesTheIdentity() {
    FakeAcs acs = FakeAcs.create();
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:mem:readme_example;DB_CLOSE_DELAY=-1");

    AccessToken token = ReadmeExample.signIn(ds, acs, acs, () -> "alice");

    assertThat(acs.deletedIdentities()).hasSize(1);
    assertThat(acs.isValid(token)).isFalse();
  }

  @Test
  void readmes_showTheExampleAsCompiled() throws IOException {
    String example =
        Files.readString(
            MODULE.resolve("src/test/java/dev/acstoken/directory/jdbc/examples/ReadmeExample.java"),
            StandardCharsets.UTF_8);
    Matcher m =
        Pattern.compile(
                "// tag::directory\\[\\]\\n(.*?)\\n\\s*// end::directory\\[\\]", Pattern.DOTALL)
            .matcher(example);
    assertThat(m.find()).isTrue();
    String region = String.join("\n", strippedLines(m.group(1)));

    assertThat(javaCode(MODULE.resolve("README.md"))).contains(region);
    assertThat(javaCode(MODULE.resolve("../README.md"))).contains(region);
  }

  @Test
  void moduleReadme_showsTheDdlTheDirectoryRuns() throws IOException {
    String readme = Files.readString(MODULE.resolve("README.md"), StandardCharsets.UTF_8);

    assertThat(readme).contains(JdbcIdentityDirectory.ddl("acs_identity_directory"));
  }

  static String javaCode(Path readme) throws IOException {
    Matcher m =
        Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL)
            .matcher(Files.readString(readme, StandardCharsets.UTF_8));
    StringBuilder code = new StringBuilder();
    while (m.find()) {
      code.append(String.join("\n", strippedLines(m.group(1)))).append('\n');
    }
    return code.toString();
  }

  static List<String> strippedLines(String s) {
    return s.lines().map(String::strip).filter(l -> !l.isEmpty()).collect(Collectors.toList());
  }
}
