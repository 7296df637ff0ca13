package dev.acstoken.directory.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The module exports its one API package and nothing else. */
class ModuleDescriptorTest {

  @Test
  void moduleInfo_exportsOnlyTheApiPackage() {
    ModuleDescriptor d =
        ModuleFinder.of(Path.of("target/classes"))
            .find("dev.acstoken.directory.jdbc")
            .orElseThrow()
            .descriptor();

    assertThat(
            d.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()))
        .containsExactly("dev.acstoken.directory.jdbc");
    assertThat(d.opens()).isEmpty();
    assertThat(
            d.requires().stream()
                .filter(r -> r.modifiers().contains(ModuleDescriptor.Requires.Modifier.TRANSITIVE))
                .map(ModuleDescriptor.Requires::name)
                .collect(Collectors.toSet()))
        .containsExactlyInAnyOrder("dev.acstoken.core", "java.sql", "org.jspecify");
  }
}
