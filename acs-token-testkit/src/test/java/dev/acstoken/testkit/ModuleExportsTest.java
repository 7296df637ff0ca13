package dev.acstoken.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The module exports only the API package and reads no test framework. */
class ModuleExportsTest {

  private static ModuleDescriptor descriptor() {
    return ModuleFinder.of(Path.of("target/classes"))
        .find("dev.acstoken.testkit")
        .orElseThrow()
        .descriptor();
  }

  @Test
  void moduleInfo_exportsOnlyTheApiPackage() {
    ModuleDescriptor d = descriptor();

    assertThat(d.exports().stream().map(ModuleDescriptor.Exports::source))
        .containsExactly("dev.acstoken.testkit");
    assertThat(d.packages()).contains("dev.acstoken.testkit.standalone");
  }

  @Test
  void moduleInfo_readsNoTestFramework() {
    assertThat(
            descriptor().requires().stream()
                .map(ModuleDescriptor.Requires::name)
                .collect(Collectors.toSet()))
        .noneMatch(name -> name.startsWith("org.junit") || name.startsWith("org.assertj"));
  }
}
