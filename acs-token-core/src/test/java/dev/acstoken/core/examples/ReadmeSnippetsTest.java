package dev.acstoken.core.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Keeps the README's code in step with {@link ReadmeExample}, which is compiled and run: every line
 * of a tagged region must stand in the README, in order (the README builds the client with {@code
 * AcsIdentityClient.create(connectionString)} where the example lets the test configure it).
 */
class ReadmeSnippetsTest {

  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  static List<String> region(String source, String tag) {
    Matcher m =
        Pattern.compile(
                "// tag::" + tag + "\\[\\]\\n(.*?)\\n\\s*// end::" + tag + "\\[\\]", Pattern.DOTALL)
            .matcher(source);
    assertThat(m.find()).as("region %s in ReadmeExample", tag).isTrue();
    return m.group(1)
        .lines()
        .map(String::strip)
        .filter(l -> !l.isEmpty())
        .collect(Collectors.toList());
  }

  static String readmeCode() throws IOException {
    String readme = Files.readString(ROOT.resolve("README.md"), StandardCharsets.UTF_8);
    Matcher m = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(readme);
    StringBuilder code = new StringBuilder();
    while (m.find()) {
      m.group(1)
          .lines()
          .map(String::strip)
          .filter(l -> !l.isEmpty())
          .forEach(l -> code.append(l).append('\n'));
    }
    return code.toString();
  }

  static String example() throws IOException {
    return Files.readString(
        ROOT.resolve("acs-token-core/src/test/java/dev/acstoken/core/examples/ReadmeExample.java"),
        StandardCharsets.UTF_8);
  }

  @Test
  void readme_showsTheUsageExampleAsCompiled() throws IOException {
    List<String> lines = region(example(), "usage");
    // the first statement builds the client; the README shows the one-line factory instead
    int first = lines.indexOf("IdentityId user = acs.createIdentity();");
    assertThat(first).isPositive();
    String code = readmeCode();
    assertThat(code)
        .contains("AcsIdentityClient acs = AcsIdentityClient.create(connectionString);");
    assertThat(code).contains(String.join("\n", lines.subList(first, lines.size())));
  }

  @Test
  void readme_showsTheErrorHandlingAsCompiled() throws IOException {
    assertThat(readmeCode()).contains(String.join("\n", region(example(), "errors")));
  }
}
